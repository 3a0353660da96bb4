// "Use my location" on the contact finder: shown only when the browser can tell its location.
// Without JavaScript the button stays hidden and the postcode form does the same job.
(function () {
  "use strict";
  var form = document.querySelector("[data-welkom-location]");
  if (!form || !("geolocation" in navigator)) return;
  var button = form.querySelector("[data-welkom-location-button]");
  var status = form.querySelector("[data-welkom-location-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = status.dataset.waiting;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(5);
        form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(5);
        form.submit();
      },
      function () {
        status.textContent = status.dataset.failed;
        button.disabled = false;
      },
      { maximumAge: 600000, timeout: 15000 }
    );
  });
})();

// Progress for large night-list uploads. Without JavaScript the form posts as usual; with it,
// the same POST goes through XMLHttpRequest so the browser can show how far the upload is,
// and the server's answer (the result page) replaces the page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload-progress]");
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var status = document.getElementById(form.getAttribute("data-upload-progress"));
  var bar = status.querySelector("progress");
  var text = status.querySelector("[data-text]");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", function (progress) {
      if (progress.lengthComputable) {
        var percent = Math.round((100 * progress.loaded) / progress.total);
        bar.value = percent;
        text.textContent = status.getAttribute("data-sending") + " " + percent + " %";
      }
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      text.textContent = status.getAttribute("data-checking");
    });
    request.addEventListener("load", function () {
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      text.textContent = status.getAttribute("data-failed");
    });
    status.hidden = false;
    request.send(new FormData(form));
  });
})();

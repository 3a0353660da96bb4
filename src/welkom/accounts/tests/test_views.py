from __future__ import annotations

import re
import time
from unittest import mock

from django.core import mail
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from welkom.accounts.views import LOGIN_FAILURES_PER_ADDRESS
from welkom.testing import PersonaTestCase

PASSWORD = "a-long-test-password"


class LoginTests(PersonaTestCase):
    def test_it_signs_in_and_lands_on_the_home_page(self) -> None:
        response = self.client.post(
            "/en/account/login/", {"username": "providermanager", "password": PASSWORD}
        )
        self.assertRedirects(response, "/en/")
        home = self.client.get("/en/")
        self.assertContains(home, "You work for Provider A (housing provider) as manager.")

    def test_it_refuses_a_wrong_password_with_a_clear_message(self) -> None:
        response = self.client.post(
            "/en/account/login/", {"username": "providermanager", "password": "wrong"}
        )
        self.assertContains(response, "is not known", status_code=200)

    def test_it_locks_the_account_after_repeated_failures(self) -> None:
        for _ in range(5):
            self.client.post(
                "/en/account/login/", {"username": "providermember", "password": "wrong"}
            )
        response = self.client.post(
            "/en/account/login/", {"username": "providermember", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "temporarily locked", status_code=429)

    def test_a_stranger_cannot_lock_someone_elses_account(self) -> None:
        for _ in range(6):
            self.client.post(
                "/en/account/login/",
                {"username": "providermember", "password": "wrong"},
                REMOTE_ADDR="203.0.113.9",
            )
        response = self.client.post(
            "/en/account/login/",
            {"username": "providermember", "password": PASSWORD},
            REMOTE_ADDR="198.51.100.4",
        )
        self.assertEqual(response.status_code, 302)  # signed in, from the owner's address

    @mock.patch("welkom.lib.throttle.time.time", return_value=1_800_001_800.0)  # mid-window
    def test_one_address_cannot_try_passwords_on_every_account(self, _clock) -> None:
        for i in range(LOGIN_FAILURES_PER_ADDRESS.count):
            self.client.post(
                "/en/account/login/",
                {"username": f"someone{i}", "password": "guess"},
                REMOTE_ADDR="203.0.113.9",
            )
        right = {"username": "providermember", "password": PASSWORD}
        refused = self.client.post("/en/account/login/", right, REMOTE_ADDR="203.0.113.9")
        self.assertContains(refused, "Too many requests", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # The owner, from another address, signs in; successes are never counted.
        for _ in range(LOGIN_FAILURES_PER_ADDRESS.count + 1):
            self.client.logout()
            signed_in = self.client.post("/en/account/login/", right, REMOTE_ADDR="198.51.100.4")
            self.assertEqual(signed_in.status_code, 302)

    @override_settings(PROXY_COUNT=1)
    def test_behind_a_proxy_the_lock_is_for_the_clients_address(self) -> None:
        def attempt(password: str, client: str):
            return self.client.post(
                "/en/account/login/",
                {"username": "providermember", "password": password},
                REMOTE_ADDR="10.0.0.2",  # the proxy, for everyone
                HTTP_X_FORWARDED_FOR=f"1.2.3.4, {client}",  # the first part is the client's
            )

        for _ in range(5):
            attempt("wrong", "203.0.113.9")
        self.assertEqual(attempt(PASSWORD, "203.0.113.9").status_code, 429)
        self.assertEqual(attempt(PASSWORD, "198.51.100.4").status_code, 302)

    def test_it_signs_out_with_a_post(self) -> None:
        self.client.force_login(self.provider_member)
        self.client.post("/en/account/logout/")
        self.assertContains(self.client.get("/en/"), "Sign in")


class PasswordResetTests(PersonaTestCase):
    def test_it_mails_a_link_that_sets_a_new_password(self) -> None:
        self.client.post("/en/account/password-reset/", {"email": "providermember@example.test"})
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
        form_page = self.client.get(link, follow=True)
        action = form_page.redirect_chain[-1][0]
        new = "another-long-password-77"
        self.client.post(action, {"new_password1": new, "new_password2": new})
        self.provider_member.refresh_from_db()
        self.assertTrue(self.provider_member.check_password(new))

    def test_it_says_the_same_for_an_unknown_address(self) -> None:
        response = self.client.post(
            "/en/account/password-reset/", {"email": "nobody@example.test"}, follow=True
        )
        self.assertContains(response, "If an account exists")
        self.assertEqual(len(mail.outbox), 0)


@override_settings(REQUIRE_2FA=True)
class TwoFactorTests(PersonaTestCase):
    def test_it_sends_a_municipality_user_to_two_factor_first(self) -> None:
        self.client.force_login(self.venlo_member)
        self.assertRedirects(
            self.client.get("/en/"), "/en/account/two-factor/", fetch_redirect_response=False
        )
        self.assertEqual(self.client.get("/en/processing-log/").status_code, 302)

    def test_it_asks_anyone_who_may_see_a_bsn_for_a_second_factor(self) -> None:
        # A provider's members see their residents' BSNs and document numbers.
        for user in (self.provider_manager, self.provider_member):
            self.client.force_login(user)
            self.assertRedirects(
                self.client.get("/en/"), "/en/account/two-factor/", fetch_redirect_response=False
            )

    def test_it_lets_an_employer_in_without_one_unless_it_enrolled_one(self) -> None:
        self.client.force_login(self.employer_manager)
        self.assertEqual(self.client.get("/en/").status_code, 200)
        TOTPDevice.objects.create(user=self.employer_manager, name="app", confirmed=True)
        self.assertEqual(self.client.get("/en/").status_code, 302)

    def _enrol(self, user) -> TOTPDevice:
        self.client.force_login(user)
        page = self.client.get("/en/account/two-factor/")
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(pk=self.client.session["welkom_enrolment"]["device"])
        wrong = self.client.post("/en/account/two-factor/", {"token": "000000"})
        self.assertContains(wrong, "This code is not right")
        device.refresh_from_db()
        device.throttle_reset()  # a failure makes the next try wait a second (django-otp throttling)
        code = f"{totp(device.bin_key):06d}"
        mailed = self.client.post("/en/account/two-factor/", {"token": code})
        self.assertContains(mailed, "open the link we have sent to")
        device.refresh_from_db()
        self.assertFalse(device.confirmed)  # a right code alone does not enrol it
        return device

    def test_it_enrols_an_authenticator_when_its_owner_opens_the_mailed_link(self) -> None:
        device = self._enrol(self.province_privacy)
        self.assertEqual(self.client.get("/en/processing-log/").status_code, 302)
        [message] = mail.outbox
        self.assertEqual(message.to, ["provinceprivacy@example.test"])
        link = re.search(r"http://testserver(\S+)", message.body).group(1)
        self.assertRedirects(self.client.get(link), "/en/")
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get("/en/processing-log/").status_code, 200)
        # Used once: the same link again confirms nothing.
        self.assertEqual(self.client.get(link).status_code, 400)

    def test_a_mailed_link_works_only_for_its_own_account_and_for_an_hour(self) -> None:
        self._enrol(self.province_privacy)
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
        self.client.force_login(self.venlo_member)  # someone else, signed in
        self.assertEqual(self.client.get(link).status_code, 400)
        self.client.force_login(self.province_privacy)
        later = time.time() + 3601
        with mock.patch("django.core.signing.time.time", return_value=later):
            self.assertEqual(self.client.get(link).status_code, 400)
        self.assertFalse(TOTPDevice.objects.filter(confirmed=True).exists())

    def test_someone_with_the_password_can_neither_see_nor_plant_the_owners_secret(self) -> None:
        # The attacker signs in with a stolen password in its own session and enrols.
        attacker = Client()
        attacker.force_login(self.province_privacy)
        attacker_secret = _secret(attacker.get("/en/account/two-factor/"))
        [planted] = TOTPDevice.objects.filter(user=self.province_privacy)
        code = f"{totp(planted.bin_key):06d}"
        attacker.post("/en/account/two-factor/", {"token": code})
        planted_link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
        # The owner, in its own session, sees another secret ...
        device = self._enrol(self.province_privacy)
        self.assertNotEqual(_secret(self.client.get("/en/account/two-factor/")), attacker_secret)
        # ... and opening the link the attacker's try mailed confirms nothing.
        self.assertEqual(self.client.get(planted_link).status_code, 400)
        own_link = re.search(r"http://testserver(\S+)", mail.outbox[1].body).group(1)
        self.assertRedirects(self.client.get(own_link), "/en/")
        self.assertEqual(
            list(TOTPDevice.objects.filter(user=self.province_privacy)), [device]
        )  # the attacker's unconfirmed one is gone
        device.refresh_from_db()
        self.assertTrue(device.confirmed)


def _secret(page) -> str:
    return re.search(r'class="welkom-secret">([A-Z2-7]+)<', page.content.decode()).group(1)


class AdminLoginTests(PersonaTestCase):
    def test_it_sends_the_admin_through_welkoms_own_login(self) -> None:
        response = self.client.get("/admin/", follow=True)
        self.assertEqual(response.redirect_chain[-1][0].split("?")[0], "/account/login/")

    def test_it_refuses_the_admin_to_an_organisation_user(self) -> None:
        self.client.force_login(self.provider_manager)
        response = self.client.get("/admin/")
        self.assertNotEqual(response.status_code, 200)

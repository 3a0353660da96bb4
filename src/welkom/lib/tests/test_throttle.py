"""Rates of public forms, password resets and invitations (issue 18, finding 7): the
(count + 1)th in the window answers 429 with how long to wait, in the user's language, and
does nothing; other clients and other accounts are not affected."""

from __future__ import annotations

from unittest import mock

from django.core import mail

from welkom.accounts.views import RESETS_PER_ACCOUNT, RESETS_PER_ADDRESS
from welkom.lib.throttle import Rate, wait_before
from welkom.loket.views import PUBLIC_FORM
from welkom.organisations.views import INVITATIONS
from welkom.testing import PersonaTestCase


class RateTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        # The windows are fixed; a run of 120 requests that crossed a minute's end would
        # start counting again half-way. The clock stands still in the middle of a window.
        clock = mock.patch("welkom.lib.throttle.time.time", return_value=1_800_000_030.0)
        clock.start()
        self.addCleanup(clock.stop)

    def test_a_new_window_counts_again(self) -> None:
        rate = Rate(1, 60)
        self.assertIsNone(wait_before("s", "a", rate))
        self.assertEqual(wait_before("s", "a", rate), 30)
        with mock.patch("welkom.lib.throttle.time.time", return_value=1_800_000_060.0):
            self.assertIsNone(wait_before("s", "a", rate))

    def test_the_count_plus_one_waits_and_others_do_not(self) -> None:
        rate = Rate(3, 60)
        self.assertEqual([wait_before("s", "a", rate) for _ in range(3)], [None] * 3)
        self.assertGreater(wait_before("s", "a", rate), 0)
        self.assertIsNone(wait_before("s", "b", rate))
        self.assertIsNone(wait_before("other scope", "a", rate))

    def test_password_resets_per_address_and_per_account(self) -> None:
        def reset(email: str, address: str):
            return self.client.post(
                "/account/password-reset/", {"email": email}, REMOTE_ADDR=address
            )

        for i in range(RESETS_PER_ACCOUNT.count):
            self.assertEqual(
                reset("providermember@example.test", f"198.51.100.{i}").status_code, 302
            )
        refused = reset("providermember@example.test", "198.51.100.99")
        self.assertContains(refused, "Te vaak gevraagd", status_code=429)
        self.assertEqual(len(mail.outbox), RESETS_PER_ACCOUNT.count)
        self.assertIn("Retry-After", refused)
        # One address asking for many accounts is stopped too.
        for i in range(RESETS_PER_ADDRESS.count):
            reset(f"someone{i}@example.test", "203.0.113.7")
        self.assertEqual(reset("venlomember@example.test", "203.0.113.7").status_code, 429)

    def test_public_forms_count_questions_not_visits(self) -> None:
        for _ in range(PUBLIC_FORM.count + 5):
            self.assertEqual(self.client.get("/loket/contact/").status_code, 200)
        for _ in range(PUBLIC_FORM.count):
            self.client.get("/loket/contact/", {"municipality": "GM0983"})
        self.assertEqual(
            self.client.get("/loket/contact/", {"municipality": "GM0983"}).status_code, 429
        )
        # Another connection is not affected.
        answer = self.client.get(
            "/loket/contact/", {"municipality": "GM0983"}, REMOTE_ADDR="198.51.100.4"
        )
        self.assertEqual(answer.status_code, 200)

    def test_invitations_per_account(self) -> None:
        self.client.force_login(self.provider_manager)
        url = f"/organisation/{self.provider.pk}/invite/"
        prefix = f"org{self.provider.pk}"
        for i in range(INVITATIONS.count):
            self.client.post(
                url, {f"{prefix}-email": f"new{i}@example.test", f"{prefix}-role": "member"}
            )
        sent = len(mail.outbox)
        refused = self.client.post(
            url, {f"{prefix}-email": "one-more@example.test", f"{prefix}-role": "member"}
        )
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(len(mail.outbox), sent)

from __future__ import annotations

import re

from django.core import mail

from welkom.organisations import rules
from welkom.organisations.models import ApiToken, Invitation, Membership
from welkom.processing_log.models import Entry, SubjectSpan
from welkom.testing import PersonaTestCase


class TeamTests(PersonaTestCase):
    def test_it_lists_the_team_for_a_manager_and_logs_the_read(self) -> None:
        self.client.force_login(self.provider_manager)
        response = self.client.get("/en/organisation/team/")
        self.assertContains(response, "providermember@example.test")
        self.assertNotContains(response, "othermanager@example.test")
        spans = SubjectSpan.objects.filter(
            entry__actor=self.provider_manager,
            entry__action="read",
            entry__object_type="membership",
        )
        self.assertEqual(spans.count(), 2)

    def test_it_refuses_members_and_outsiders(self) -> None:
        for user in [self.provider_member, self.outsider, self.venlo_member]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/en/organisation/team/").status_code, 403)

    def test_it_sends_anonymous_visitors_to_login(self) -> None:
        response = self.client.get("/en/organisation/team/")
        self.assertRedirects(response, "/en/account/login/?next=/en/organisation/team/")


class InvitationTests(PersonaTestCase):
    def _invite(self, email="new@example.test", role=rules.MEMBER, organisation=None):
        organisation = organisation or self.provider
        prefix = f"org{organisation.pk}"
        return self.client.post(
            f"/en/organisation/{organisation.pk}/invite/",
            {f"{prefix}-email": email, f"{prefix}-role": role},
        )

    def test_it_invites_by_mail_and_the_invitee_joins(self) -> None:
        self.client.force_login(self.provider_manager)
        self.assertRedirects(self._invite(), "/en/organisation/team/")
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
        self.client.logout()
        response = self.client.post(
            link,
            {"first_name": "Nina", "last_name": "Nowak", "password": "a-good-long-password-42"},
        )
        self.assertRedirects(response, "/en/account/login/")
        membership = Membership.access_control.get(user__email="new@example.test")
        self.assertEqual((membership.organisation, membership.role), (self.provider, rules.MEMBER))
        self.assertEqual(self.client.get(link).status_code, 404)  # used once

    def test_it_refuses_a_role_the_kind_does_not_offer(self) -> None:
        self.client.force_login(self.provider_manager)
        response = self._invite(role=rules.PRIVACY_OFFICER)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Invitation.objects.exists())

    def test_it_refuses_an_existing_member(self) -> None:
        self.client.force_login(self.provider_manager)
        response = self._invite(email="providermember@example.test")
        self.assertContains(response, "already a member", status_code=400)

    def test_it_refuses_inviting_into_another_organisation(self) -> None:
        self.client.force_login(self.provider_manager)
        self.assertEqual(self._invite(organisation=self.other_provider).status_code, 404)
        self.client.force_login(self.outsider)
        self.assertEqual(self._invite().status_code, 403)
        self.assertFalse(Invitation.objects.exists())

    def test_it_refuses_a_weak_password_and_keeps_the_invitation(self) -> None:
        self.client.force_login(self.provider_manager)
        self._invite()
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
        self.client.logout()
        response = self.client.post(link, {"first_name": "N", "last_name": "N", "password": "123"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(Invitation.objects.open().exists())


class RemoveMemberTests(PersonaTestCase):
    def test_it_removes_a_member_and_logs_it(self) -> None:
        membership = Membership.access_control.get(user=self.provider_member)
        self.client.force_login(self.provider_manager)
        self.client.post(f"/en/organisation/membership/{membership.pk}/remove/")
        self.assertFalse(Membership.access_control.filter(pk=membership.pk).exists())
        self.assertTrue(Entry.objects.filter(action="delete", object_type="membership").exists())

    def test_it_keeps_the_last_manager(self) -> None:
        membership = Membership.access_control.get(user=self.provider_manager)
        other = Membership.access_control.get(user=self.provider_member)
        other.role = rules.MANAGER
        other.save()
        self.client.force_login(self.provider_member)
        self.client.post(f"/en/organisation/membership/{membership.pk}/remove/")
        response = self.client.post(f"/en/organisation/membership/{other.pk}/remove/", follow=True)
        self.assertFalse(Membership.access_control.filter(pk=membership.pk).exists())
        self.assertContains(response, "at least one manager")

    def test_it_refuses_removing_someone_of_another_organisation(self) -> None:
        membership = Membership.access_control.get(user=self.other_provider_manager)
        for user in [self.provider_manager, self.outsider]:
            self.client.force_login(user)
            response = self.client.post(f"/en/organisation/membership/{membership.pk}/remove/")
            self.assertIn(response.status_code, {403, 404})
        self.assertTrue(Membership.access_control.filter(pk=membership.pk).exists())


class ApiTokenViewTests(PersonaTestCase):
    def test_it_creates_a_token_shows_the_key_once_and_revokes_it(self) -> None:
        self.client.force_login(self.provider_manager)
        response = self.client.post(
            "/en/organisation/api-tokens/", {"organisation": self.provider.pk, "name": "planning"}
        )
        key = re.search(r"wk_[A-Za-z0-9_\-]{20,}", response.content.decode()).group(0)
        token = ApiToken.objects.get()
        self.assertNotIn(key, token.key_hash)
        self.assertNotContains(self.client.get("/en/organisation/api-tokens/"), key)
        self.client.post(f"/en/organisation/api-tokens/{token.pk}/revoke/")
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)

    def test_it_refuses_an_empty_name(self) -> None:
        self.client.force_login(self.provider_manager)
        response = self.client.post(
            "/en/organisation/api-tokens/", {"organisation": self.provider.pk, "name": ""}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ApiToken.objects.exists())

    def test_it_refuses_outsiders_and_other_organisations(self) -> None:
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/en/organisation/api-tokens/").status_code, 403)
        self.client.force_login(self.provider_manager)
        response = self.client.post(
            "/en/organisation/api-tokens/", {"organisation": self.other_provider.pk, "name": "x"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(ApiToken.objects.exists())

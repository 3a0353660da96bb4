from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from welkom.organisations import rules
from welkom.organisations.models import ApiToken, Membership, Organisation
from welkom.organisations.selectors import processing_by, territory_where
from welkom.organisations.services import USER_ADMINISTRATION, api_token_create
from welkom.testing import PersonaTestCase


class OrganisationScopingTests(PersonaTestCase):
    def test_it_shows_users_their_own_organisations_only(self) -> None:
        self.assertEqual(
            list(Organisation.objects.visible_to(self.provider_member)), [self.provider]
        )
        self.assertEqual(list(Organisation.objects.visible_to(self.venlo_member)), [self.venlo])
        self.assertEqual(list(Organisation.objects.visible_to(self.outsider)), [])
        self.assertEqual(list(Organisation.objects.visible_to(AnonymousUser())), [])

    def test_it_gives_municipality_users_their_territory_per_permission(self) -> None:
        stays = "register.view_stay"
        self.assertEqual(territory_where(self.venlo_member, stays), [self.venlo.municipality_id])
        self.assertEqual(territory_where(self.provider_manager, stays), [])
        self.assertEqual(territory_where(self.province_member, stays), [])
        # A privacy officer has the territory for the log, not for the register.
        Membership.access_control.create(
            user=self.provider_member, organisation=self.horst, role=rules.PRIVACY_OFFICER
        )
        self.assertEqual(territory_where(self.provider_member, stays), [])


class MembershipScopingTests(PersonaTestCase):
    def _visible(self, user) -> set[str]:
        processing = processing_by(user, activity=USER_ADMINISTRATION)
        memberships = (
            Membership.objects.visible_to(user).select_related("user").for_processing(processing)
        )
        return {m.user.username for m in memberships}

    def test_it_shows_a_manager_the_members_of_the_organisation(self) -> None:
        self.assertEqual(
            self._visible(self.provider_manager), {"providermanager", "providermember"}
        )

    def test_it_shows_members_and_outsiders_nothing(self) -> None:
        self.assertEqual(self._visible(self.provider_member), set())
        self.assertEqual(self._visible(self.venlo_member), set())
        self.assertEqual(self._visible(self.outsider), set())


class ApiTokenScopingTests(PersonaTestCase):
    def test_it_shows_tokens_to_managers_of_the_same_organisation_only(self) -> None:
        token, _key = api_token_create(
            organisation=self.provider, name="planning", created_by=self.provider_manager
        )
        self.assertEqual(list(ApiToken.objects.visible_to(self.provider_manager)), [token])
        self.assertEqual(list(ApiToken.objects.visible_to(self.provider_member)), [])
        self.assertEqual(list(ApiToken.objects.visible_to(self.other_provider_manager)), [])
        self.assertEqual(list(ApiToken.objects.visible_to(self.outsider)), [])

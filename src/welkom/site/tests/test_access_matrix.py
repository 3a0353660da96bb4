"""Every URL × every role × another organisation's ids (issue 18): generated from the URL
conf, so a new page is in it the day it is added. Each signed-in user, a user with two
memberships and an anonymous visitor open every page, with the ids of Provider B's
location, stay, person, signal, import, token and membership in Horst filled in. No answer
may be a server error, and Provider B's resident and team appear only to those whose
membership and permission allow it."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone

from welkom.housing.services import location_register
from welkom.organisations import rules
from welkom.organisations.models import Membership
from welkom.organisations.services import api_token_create
from welkom.register.models import NightListImport, Person, Signal, Stay
from welkom.register.services import night_list_import, signals_refresh
from welkom.testing import PersonaTestCase, user_make

HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type,registration_status,employer_kvk\n"
)
# Provider B's resident in Horst, and its manager's address: what must not leak.
RESIDENT, TEAM = "Ivanovski", "othermanager@example.test"
SEE_RESIDENT = {"othermanager", "horstmember"}
SEE_TEAM = {"othermanager"}
# Pages this test does not open: Django's admin (staff only, its own tests), and the
# pages that only answer POST with a side effect a GET cannot have.
SKIPPED_NAMESPACES = ("admin:",)


def routes(resolver: URLResolver | None = None, namespace: str = "", converters=None):
    """(name with namespace, {argument: converter}) of every named URL."""
    resolver = resolver or get_resolver()
    converters = converters or {}
    for pattern in resolver.url_patterns:
        found = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern, inner, found)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", found


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK\x03\x04"):  # a workbook: its texts
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(
                book.read(name).decode("utf-8", "replace")
                for name in book.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", "replace")


class AccessMatrixTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )
        cls.horst_location = location_register(
            provider=cls.other_provider,
            code="H1",
            street="Kerkstraat",
            number="2",
            postcode="5961 AA",
        )
        night = timezone.localdate() - timedelta(days=2)
        # Nowak works for the employer (who sees Nowak's signals); the resident in Horst
        # works for nobody here.
        for provider, code, family, employer in (
            (cls.provider, "V1", "Nowak", "33333333"),
            (cls.other_provider, "H1", RESIDENT, ""),
        ):
            rows = "".join(
                f"{(night + timedelta(days=d)).isoformat()},{code},{family},Jan,1990-01-01,POL,"
                f"Opole,PL,passport,none,{employer}\n"
                for d in range(2)
            )
            night_list_import(
                provider=provider, data=(HEADER + rows).encode(), filename="n.csv", source="cli"
            )
        signals_refresh(on=timezone.localdate())
        cls.two_memberships = user_make("twohats", cls.provider, rules.MEMBER)
        Membership.access_control.create(
            user=cls.two_memberships, organisation=cls.horst, role=rules.PRIVACY_OFFICER
        )
        token, _key = api_token_create(
            organisation=cls.other_provider, name="PMS", created_by=cls.other_provider_manager
        )
        resident = Person.internal.get(family_name=RESIDENT)
        cls.ids = {
            "location_id": cls.horst_location.pk,
            "stay_id": Stay.internal.get(person=resident).pk,
            "signal_id": Signal.internal.filter(person=resident).first().pk,
            "import_id": NightListImport.objects.get(provider=cls.other_provider).pk,
            "organisation_id": cls.other_provider.pk,
            "membership_id": Membership.access_control.get(user=cls.other_provider_manager).pk,
            "token_id": token.pk,
            "code": "GM1507",
            "language": "pl",
            "year": timezone.localdate().year,
            "postcode": "5961AA",
        }

    def urls(self) -> list[str]:
        found = []
        for name, converters in routes():
            if name.startswith(SKIPPED_NAMESPACES):
                continue
            kwargs = {
                key: self.ids.get(key, 1 if type(c).__name__ == "IntConverter" else "x")
                for key, c in converters.items()
            }
            try:
                found.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                self.fail(f"{name}: no URL for {kwargs}")
        return sorted(set(found))

    def test_no_page_errs_or_shows_another_organisations_data(self) -> None:
        urls = self.urls()
        self.assertGreater(len(urls), 50)  # the whole URL conf, not a handful
        users = [
            getattr(self, name)
            for name in (
                "provider_manager",
                "provider_member",
                "other_provider_manager",
                "employer_manager",
                "agency_manager",
                "venlo_member",
                "horst_member",
                "venlo_privacy",
                "province_member",
                "province_privacy",
                "partner_member",
                "outsider",
                "two_memberships",
            )
        ]
        self.client.raise_request_exception = False
        failures = []
        for user in [None, *users]:
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            username = user.username if user else "anonymous"
            for url in urls:
                response = self.client.get(url)
                if response.status_code >= 500:
                    failures.append(f"{username} {url}: {response.status_code}")
                    continue
                if response.status_code != 200:
                    continue
                text = text_of(response)
                if RESIDENT in text and username not in SEE_RESIDENT:
                    failures.append(f"{username} {url}: shows Provider B's resident")
                if TEAM in text and username not in SEE_TEAM:
                    failures.append(f"{username} {url}: shows Provider B's team")
        self.assertEqual(failures, [])

    def test_ids_that_are_no_ids_are_not_found_not_a_server_error(self) -> None:
        self.client.raise_request_exception = False
        for value in ("abc", "", "1e9", "99999999999999999999999", "١٢"):
            with self.subTest(value=value):
                self.client.force_login(self.provider_manager)
                tokens = self.client.post(
                    "/organisation/api-tokens/", {"name": "PMS", "organisation": value}
                )
                self.assertEqual(tokens.status_code, 404)
                self.client.force_login(self.venlo_member)
                merge = self.client.post(
                    "/register/duplicates/merge/", {"keep": value, "merge": value}
                )
                self.assertEqual(merge.status_code, 404)

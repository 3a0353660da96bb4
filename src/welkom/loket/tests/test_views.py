from __future__ import annotations

import re
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from welkom.lib.dates import long_date
from welkom.loket.models import Activity, ActivityKind, MunicipalContact, TopicText
from welkom.loket.services import content_load
from welkom.places.geometry import centre
from welkom.places.models import Municipality
from welkom.testing import PersonaTestCase

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def url(name: str, language: str = "en", *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def errors(response) -> list[str]:
    return re.findall(r'error-message" id="[^"]*">(.*?)</p>', response.content.decode())


class PublicPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        content_load()

    def test_every_public_page_answers_without_login_in_every_language(self):
        for language in LANGUAGES:
            for name, args in [
                ("loket:index", ()),
                ("loket:topic", ("arriving",)),
                ("loket:contact", ()),
                ("loket:check", ()),
                ("loket:directory", ()),
            ]:
                response = self.client.get(url(name, language, *args))
                self.assertEqual(response.status_code, 200, (name, language))
                self.assertContains(response, f'lang="{language}"')

    def test_a_machine_translation_says_so_and_the_dutch_source_does_not(self):
        dutch = self.client.get(url("loket:topic", "nl", "housing"))
        self.assertNotContains(dutch, "utrecht-alert--info")
        polish = self.client.get(url("loket:topic", "pl", "housing"))
        with translation.override("pl"):
            notice = translation.gettext(
                "This translation was made by machine and has not yet been checked by a person. "
                "The Dutch text is the official one."
            )
        self.assertContains(polish, notice)

    def test_a_page_missing_in_a_language_is_shown_in_english_and_says_so(self):
        TopicText.objects.filter(topic__slug="work", language="bg").delete()
        response = self.client.get(url("loket:topic", "bg", "work"))
        english = TopicText.objects.get(topic__slug="work", language="en")
        self.assertContains(response, f">{english.title}</h1>")
        self.assertContains(response, '<article class="welkom-article" lang="en">')
        with translation.override("bg"):
            told = translation.gettext(
                "This page is not yet available in your language. Here is the English version."
            )
        self.assertContains(response, told)

    def test_an_unknown_topic_is_not_found(self):
        self.assertEqual(self.client.get(url("loket:topic", "en", "nothing-here")).status_code, 404)

    def test_each_page_shows_when_its_facts_were_last_checked_and_its_sources(self):
        response = self.client.get(url("loket:topic", "en", "arriving"))
        self.assertContains(response, "Facts last checked on")
        self.assertContains(response, "rijksoverheid.nl")


class ContactFinderTests(TestCase):
    def test_all_31_municipalities_answer_even_without_a_contact_of_their_own(self):
        self.assertEqual(Municipality.objects.count(), 31)
        for municipality in Municipality.objects.all():
            response = self.client.get(
                url("loket:contact", "en"), {"municipality": municipality.code}
            )
            self.assertEqual(response.status_code, 200, municipality.name)
            self.assertContains(response, f"Municipality of {municipality.name}")
            self.assertContains(response, "https://www.")  # its general website
            self.assertContains(response, "Nearest RNI desk")

    def test_a_postcode_finds_the_municipalitys_own_contact_and_when_it_was_confirmed(self):
        horst = Municipality.objects.get(code="GM1507")
        MunicipalContact.objects.create(
            municipality=horst,
            name="Team Arbeidsmigratie",
            email="loket@horst.example",
            languages=["pl", "ro"],
            confirmed_at=timezone.now(),
        )
        response = self.client.get(url("loket:contact", "pl"), {"postcode": "5961 AA"})
        self.assertContains(response, "Team Arbeidsmigratie")
        self.assertContains(response, 'lang="pl">polski</span>')
        self.assertContains(response, "mailto:loket@horst.example")
        self.assertContains(response, "Venlo")  # the nearest RNI desk for Horst

    def test_a_postcode_outside_limburg_says_what_welkom_covers_and_where_to_go(self):
        response = self.client.get(url("loket:contact", "en"), {"postcode": "1012 AB"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("outside the province of Limburg", errors(response)[0])
        self.assertContains(response, "The 31 municipalities Welkom covers", status_code=400)
        self.assertContains(response, "<li>Vaals</li>", status_code=400)
        self.assertContains(response, "ask the municipality where you stay", status_code=400)

    def test_nonsense_and_script_in_the_postcode_are_refused_and_escaped(self):
        response = self.client.get(
            url("loket:contact", "en"), {"postcode": "<script>alert(1)</script>"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotContains(response, "<script>alert(1)</script>", status_code=400)
        self.assertContains(response, "&lt;script&gt;", status_code=400)

    def test_my_location_inside_venlo_finds_venlo(self):
        venlo = Municipality.objects.get(code="GM0983")
        longitude, latitude = centre(venlo.boundary)
        response = self.client.post(
            url("loket:contact", "en"), {"latitude": latitude, "longitude": longitude}
        )
        self.assertContains(response, "Your contact in Venlo")

    def test_my_location_outside_limburg_or_unreadable_gets_a_clear_message(self):
        amsterdam = self.client.post(
            url("loket:contact", "en"), {"latitude": 52.37, "longitude": 4.89}
        )
        self.assertContains(amsterdam, "outside the province of Limburg", status_code=400)
        broken = self.client.post(url("loket:contact", "en"), {"latitude": "north"})
        self.assertContains(broken, "could not be read", status_code=400)


class CheckTests(TestCase):
    def post(self, language="en", **changes):
        today = timezone.localdate()
        data = {
            "arrival": (today + timedelta(days=10)).isoformat(),
            "length": "6",
            "unit": "months",
            "registration": "none",
            "postcode": "5961 AA",
            **changes,
        }
        return self.client.post(url("loket:check", language), data)

    def test_it_gives_dated_steps_for_horst_in_every_language(self):
        arrival = timezone.localdate() + timedelta(days=10)
        for language in LANGUAGES:
            response = self.post(language)
            self.assertEqual(response.status_code, 200, language)
            with translation.override(language):
                deadline = long_date(arrival + timedelta(days=5))
            self.assertContains(response, deadline)
            self.assertContains(response, "Horst aan de Maas")
            self.assertContains(response, "welkom-contact-card")

    def test_it_stores_and_logs_nothing_and_sending_twice_gives_the_same_answer(self):
        counts = {model: model.objects.count() for model in apps.get_models()}
        first, second = self.post(), self.post()
        steps = re.compile(r'<section aria-labelledby="steps-title".*?</section>', re.S)
        self.assertEqual(
            steps.search(first.content.decode()).group(),
            steps.search(second.content.decode()).group(),
        )
        self.assertEqual({model: model.objects.count() for model in apps.get_models()}, counts)
        self.assertIn("no-cache", first["Cache-Control"])

    def test_bad_answers_get_clear_messages(self):
        today = timezone.localdate()
        far_future = self.post(arrival=(today + timedelta(days=800)).isoformat())
        self.assertEqual(far_future.status_code, 400)
        self.assertIn("more than a year from now", errors(far_future)[0])
        far_past = self.post(arrival="1999-01-01")
        self.assertIn("more than two years ago", errors(far_past)[0])
        zero = self.post(length="0")
        self.assertIn("at least 1 week or 1 month", errors(zero)[0])
        outside = self.post(postcode="1012 AB")
        self.assertIn("outside the province of Limburg", errors(outside)[0])
        self.assertContains(outside, "The 31 municipalities Welkom covers", status_code=400)
        nothing = self.client.post(url("loket:check", "en"), {})
        self.assertEqual(len(errors(nothing)), 5)

    def test_long_and_script_laden_values_are_refused_and_escaped(self):
        response = self.post(postcode="<script>alert('x')</script>" * 20, length="<b>")
        self.assertEqual(response.status_code, 400)
        self.assertNotContains(response, "<script>alert", status_code=400)
        self.assertNotContains(response, "<b>", status_code=400)


class DirectoryTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        venlo = Municipality.objects.get(code="GM0983")
        horst = Municipality.objects.get(code="GM1507")
        Activity.objects.create(
            municipality=venlo, kind=ActivityKind.LANGUAGE_COURSE, name="Taalcafé",
            description="Dutch over coffee.", languages=["nl", "en"], place="Venlo",
        )  # fmt: skip
        Activity.objects.create(
            municipality=horst, kind=ActivityKind.SPORTS, name="Voetbal",
            description="Football.", languages=["pl", "ro"], place="America",
        )  # fmt: skip

    def test_search_by_municipality_and_language(self):
        everything = self.client.get(url("loket:directory", "en"))
        self.assertContains(everything, "Taalcafé")
        self.assertContains(everything, "Voetbal")
        polish = self.client.get(url("loket:directory", "en"), {"language": "pl"})
        self.assertNotContains(polish, "Taalcafé")
        self.assertContains(polish, "Voetbal")
        venlo = self.client.get(url("loket:directory", "en"), {"municipality": "GM0983"})
        self.assertContains(venlo, "Taalcafé")
        self.assertNotContains(venlo, "Voetbal")

    def test_a_municipality_keeps_its_own_directory_and_a_duplicate_is_refused(self):
        self.client.force_login(self.venlo_member)
        data = {
            "kind": ActivityKind.CLUB, "name": "Schaakclub", "description": "Chess.",
            "languages": ["nl", "pl"], "place": "Venlo",
        }  # fmt: skip
        self.assertRedirects(
            self.client.post(url("loket:activities", "en", "GM0983"), data),
            url("loket:activities", "en", "GM0983"),
        )
        again = self.client.post(url("loket:activities", "en", "GM0983"), data)
        self.assertEqual(again.status_code, 400)
        self.assertIn("already has this name", errors(again)[0])
        self.assertEqual(Activity.objects.filter(name="Schaakclub").count(), 1)

    def test_a_municipality_cannot_touch_anothers_entries(self):
        self.client.force_login(self.venlo_member)
        football = Activity.objects.get(name="Voetbal")
        self.assertEqual(
            self.client.get(url("loket:activity_edit", "en", "GM0983", football.pk)).status_code,
            404,
        )
        self.client.post(url("loket:activity_delete", "en", "GM0983", football.pk))
        self.assertTrue(Activity.objects.filter(pk=football.pk).exists())

    def test_others_may_not_keep_a_directory(self):
        for user in (self.provider_manager, self.province_member, self.outsider):
            self.client.force_login(user)
            self.assertEqual(
                self.client.get(url("loket:activities", "en", "GM0983")).status_code, 403
            )


class ContactKeepingTests(PersonaTestCase):
    def test_a_municipality_enters_its_contact_which_the_loket_then_shows_as_confirmed(self):
        self.client.force_login(self.horst_member)
        missing = self.client.post(url("loket:contact_edit", "en", "GM1507"), {"name": "Loket"})
        self.assertContains(missing, "Give an e-mail address or a phone number", status_code=400)
        self.client.post(
            url("loket:contact_edit", "en", "GM1507"),
            {"name": "Loket Arbeidsmigratie", "phone": "077 123 4567", "languages": ["pl"]},
        )
        contact = MunicipalContact.objects.get(municipality__code="GM1507")
        self.assertIsNotNone(contact.confirmed_at)
        from welkom.processing_log.models import Entry

        logged = Entry.objects.filter(object_type="municipal_contact").get()
        self.assertEqual((logged.action, logged.actor_id), ("create", self.horst_member.pk))
        self.client.logout()
        shown = self.client.get(url("loket:contact", "en"), {"municipality": "GM1507"})
        self.assertContains(shown, "Loket Arbeidsmigratie")
        self.assertContains(shown, 'href="tel:0771234567"')
        self.assertContains(shown, "The municipality last confirmed this contact on")

    def test_confirming_unchanged_moves_the_date(self):
        horst = Municipality.objects.get(code="GM1507")
        contact = MunicipalContact.objects.create(
            municipality=horst, name="Loket", email="a@b.example",
            confirmed_at=timezone.now() - timedelta(days=400),
        )  # fmt: skip
        self.client.force_login(self.horst_member)
        self.client.post(url("loket:contact_confirm", "en", "GM1507"))
        contact.refresh_from_db()
        self.assertEqual(timezone.localdate(contact.confirmed_at), timezone.localdate())
        self.assertEqual(contact.confirmed_by, self.horst_member)

    def test_only_the_municipality_itself_keeps_its_contact(self):
        for user in (self.provider_manager, self.province_member, self.outsider):
            self.client.force_login(user)
            self.assertEqual(
                self.client.get(url("loket:contact_edit", "en", "GM1507")).status_code, 403
            )


class TranslationStatusTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        content_load()

    def edit(self, language: str, **changes):
        text = TopicText.objects.get(topic__slug="arriving", language=language)
        dutch = TopicText.objects.get(topic__slug="arriving", language="nl")
        data = {
            "title": text.title, "summary": text.summary, "body": text.body,
            "checked_on": text.checked_on.isoformat(), "source_revision_seen": dutch.revision,
            **changes,
        }  # fmt: skip
        return self.client.post(url("loket:topic_edit", "en", "arriving", language), data)

    def test_editing_the_dutch_page_makes_every_translation_outdated(self):
        self.client.force_login(self.province_member)
        self.assertRedirects(
            self.edit("nl", summary="Een nieuwe samenvatting."), url("loket:manage")
        )
        for language in ("en", "pl", "ro", "bg"):
            page = self.client.get(url("loket:topic", language, "arriving"))
            with translation.override(language):
                self.assertContains(page, "utrecht-alert--warning")
        overview = self.client.get(url("loket:manage"))
        self.assertContains(overview, 'welkom-badge--warning">outdated<', count=4)

    def test_saving_unchanged_dutch_text_outdates_nothing(self):
        self.client.force_login(self.province_member)
        self.edit("nl")
        page = self.client.get(url("loket:topic", "pl", "arriving"))
        self.assertNotContains(page, "utrecht-alert--warning")

    def test_a_reviewed_translation_is_up_to_date_again(self):
        self.client.force_login(self.province_member)
        self.edit("nl", summary="Een nieuwe samenvatting.")
        self.edit("pl", reviewed="on")
        page = self.client.get(url("loket:topic", "pl", "arriving"))
        self.assertNotContains(page, "utrecht-alert--warning")
        self.assertNotContains(page, "utrecht-alert--info")

    def test_a_link_that_leads_nowhere_is_refused_and_nothing_is_saved(self):
        self.client.force_login(self.province_member)
        before = TopicText.objects.get(topic__slug="arriving", language="nl").body
        response = self.edit("nl", body="See [this](javascript:alert(1)) or [that](topic:nope).")
        self.assertEqual(response.status_code, 400)
        self.assertIn("lead nowhere", errors(response)[0])
        self.assertEqual(TopicText.objects.get(topic__slug="arriving", language="nl").body, before)

    def test_only_the_provinces_editors_edit_pages(self):
        for user in (self.venlo_member, self.provider_manager, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.edit("nl").status_code, 403)


class SeveralMunicipalitiesTests(PersonaTestCase):
    def test_a_user_of_two_municipalities_keeps_each_by_its_own_address(self):
        from welkom.organisations import rules as roles
        from welkom.organisations.models import Membership

        Membership.access_control.create(
            user=self.venlo_member, organisation=self.horst, role=roles.MEMBER
        )
        self.client.force_login(self.venlo_member)
        manage = self.client.get(url("loket:manage"))
        self.assertContains(manage, url("loket:contact_edit", "en", "GM0983"))
        self.assertContains(manage, url("loket:contact_edit", "en", "GM1507"))
        self.client.post(
            url("loket:contact_edit", "en", "GM1507"), {"name": "Horst team", "phone": "077 1"}
        )
        self.assertEqual(MunicipalContact.objects.get().municipality.code, "GM1507")
        beesel = self.client.get(url("loket:contact_edit", "en", "GM0889"))
        self.assertEqual(beesel.status_code, 403)


class EditingTogetherTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        content_load()

    def post(self, language: str, seen: int, **changes):
        text = TopicText.objects.get(topic__slug="work", language=language)
        data = {
            "title": text.title, "summary": text.summary, "body": text.body,
            "checked_on": text.checked_on.isoformat(), "source_revision_seen": seen, **changes,
        }  # fmt: skip
        return self.client.post(url("loket:topic_edit", "en", "work", language), data)

    def test_a_stale_dutch_form_does_not_overwrite_anothers_change(self):
        self.client.force_login(self.province_member)
        self.post("nl", 1, summary="Eerste wijziging.")
        stale = self.post("nl", 1, checked_on="2026-12-01")
        self.assertContains(stale, "Someone else changed the Dutch text", status_code=400)
        dutch = TopicText.objects.get(topic__slug="work", language="nl")
        self.assertEqual((dutch.summary, dutch.revision), ("Eerste wijziging.", 2))

    def test_a_translation_checked_against_an_older_dutch_text_stays_outdated(self):
        self.client.force_login(self.province_member)
        self.post("nl", 1, summary="Nieuwe samenvatting.")
        self.post("pl", 1, reviewed="on")  # the translator still had revision 1 on screen
        page = self.client.get(url("loket:topic", "pl", "work"))
        self.assertContains(page, "utrecht-alert--warning")

    def test_a_new_translation_written_by_staff_is_up_to_date(self):
        self.client.force_login(self.province_member)
        TopicText.objects.filter(topic__slug="work", language="bg").delete()
        english = TopicText.objects.get(topic__slug="work", language="en")
        self.client.post(
            url("loket:topic_edit", "en", "work", "bg"),
            {
                "title": "Работа", "summary": "Кратко.", "body": english.body,
                "checked_on": "2026-11-28", "source_revision_seen": 1,
            },
        )  # fmt: skip
        page = self.client.get(url("loket:topic", "bg", "work"))
        self.assertContains(page, ">Работа</h1>")
        self.assertNotContains(page, "utrecht-alert--warning")
        self.assertNotContains(page, "utrecht-alert--info")


class RobustPublicPagesTests(TestCase):
    def test_an_unknown_language_code_in_the_directory_does_not_break_the_page(self):
        Activity.objects.create(
            municipality=Municipality.objects.get(code="GM0983"), kind=ActivityKind.CLUB,
            name="Club", description="A club.", languages=["xx"], place="Venlo",
        )  # fmt: skip
        response = self.client.get(url("loket:directory", "en"))
        self.assertContains(response, '<span lang="xx">xx</span>')

    def test_only_web_addresses_are_linked_as_sources(self):
        content_load()
        from welkom.loket.models import Topic

        Topic.objects.filter(slug="work").update(
            sources="Good | https://example.test/a\nBad | javascript:alert(1)"
        )
        response = self.client.get(url("loket:topic", "en", "work"))
        self.assertContains(response, 'href="https://example.test/a"')
        self.assertNotContains(response, "javascript:")

    def test_a_stay_that_has_already_ended_is_not_checked(self):
        today = timezone.localdate()
        response = self.client.post(
            url("loket:check", "en"),
            {"arrival": (today - timedelta(days=100)).isoformat(), "length": "4",
             "unit": "weeks", "registration": "none", "postcode": "5961 AA"},
        )  # fmt: skip
        self.assertIn("already ended", errors(response)[0])

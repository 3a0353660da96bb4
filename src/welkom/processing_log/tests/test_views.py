from __future__ import annotations

from welkom.organisations.services import USER_ADMINISTRATION
from welkom.processing_log.services import Processing, processing_log_write
from welkom.testing import PersonaTestCase


class SearchTests(PersonaTestCase):
    def setUp(self) -> None:
        processing_log_write(
            processing=Processing.by(
                self.venlo_member, activity=USER_ADMINISTRATION, organisation=self.venlo
            ),
            subject_type="user",
            subject_ids=[self.horst_member.pk],
            object_type="membership",
        )

    def test_it_finds_entries_by_data_subject(self) -> None:
        self.client.force_login(self.province_privacy)
        found = self.client.get(
            "/en/processing-log/", {"subject_type": "user", "subject_id": str(self.horst_member.pk)}
        )
        self.assertContains(found, "1 entry")
        other = self.client.get(
            "/en/processing-log/", {"subject_type": "user", "subject_id": "999999"}
        )
        self.assertContains(other, "0 entries")

    def test_it_finds_a_subject_among_many_of_one_processing(self) -> None:
        # One processing of three users (a page listing a team): one entry, three spans.
        processing_log_write(
            processing=Processing.by(
                self.venlo_member, activity=USER_ADMINISTRATION, organisation=self.venlo
            ),
            subject_type="user",
            subject_ids=[self.outsider.pk, self.venlo_privacy.pk, self.province_member.pk],
            object_type="membership",
        )
        self.client.force_login(self.province_privacy)
        for subject, entries in ((self.venlo_privacy, 1), (self.horst_member, 1)):
            with self.subTest(subject=subject.username):
                found = self.client.get(
                    "/en/processing-log/", {"subject_type": "user", "subject_id": str(subject.pk)}
                )
                self.assertContains(found, f"{entries} entry")
        everything = self.client.get("/en/processing-log/")
        self.assertContains(everything, "3 data subjects")
        self.assertContains(everything, "1 data subject<")
        # A worker with the same internal number is another data subject.
        person = self.client.get(
            "/en/processing-log/", {"subject_type": "person", "subject_id": str(self.outsider.pk)}
        )
        self.assertContains(person, "0 entries")

    def test_it_refuses_dates_in_the_wrong_order(self) -> None:
        self.client.force_login(self.province_privacy)
        response = self.client.get(
            "/en/processing-log/", {"date_from": "2026-02-01", "date_until": "2026-01-01"}
        )
        self.assertContains(response, "start date lies after the end date", status_code=400)

    def test_it_shows_the_register_of_processing_activities(self) -> None:
        self.client.force_login(self.venlo_privacy)
        response = self.client.get("/en/processing-log/activities/")
        self.assertContains(response, "Bijhouden van het nachtregister")

    def test_it_refuses_users_without_the_privacy_role(self) -> None:
        for user in [self.venlo_member, self.province_member, self.provider_manager, self.outsider]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/en/processing-log/").status_code, 403)
                self.assertEqual(self.client.get("/en/processing-log/activities/").status_code, 403)

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from welkom.organisations import rules
from welkom.organisations.models import Organisation
from welkom.places.models import Municipality


class OrganisationTests(TestCase):
    def test_it_validates_the_kvk_number(self) -> None:
        organisation = Organisation(name="X", kind=rules.EMPLOYER, kvk_number="1234")
        with self.assertRaises(ValidationError) as raised:
            organisation.full_clean()
        self.assertIn("kvk_number", raised.exception.error_dict)

    def test_it_ties_a_municipality_organisation_to_its_municipality(self) -> None:
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Organisation.objects.create(name="Gemeente ?", kind=rules.MUNICIPALITY)
        venlo = Municipality.objects.get(code="GM0983")
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Organisation.objects.create(
                name="Provider", kind=rules.HOUSING_PROVIDER, municipality=venlo
            )

    def test_it_allows_one_organisation_per_municipality(self) -> None:
        venlo = Municipality.objects.get(code="GM0983")
        Organisation.objects.create(
            name="Gemeente Venlo", kind=rules.MUNICIPALITY, municipality=venlo
        )
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Organisation.objects.create(name="Venlo 2", kind=rules.MUNICIPALITY, municipality=venlo)

    def test_it_refuses_a_kvk_number_twice(self) -> None:
        Organisation.objects.create(name="A", kind=rules.EMPLOYER, kvk_number="12345678")
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Organisation.objects.create(name="B", kind=rules.TEMP_AGENCY, kvk_number="12345678")
        Organisation.objects.create(name="C", kind=rules.PROVINCE)
        Organisation.objects.create(name="D", kind=rules.ENFORCEMENT_PARTNER)  # both without KvK

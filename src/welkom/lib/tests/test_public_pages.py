"""Public pages kept whole (issue 19): the same page for every visitor is rendered once, a
change renders it again as soon as it is committed, and nothing one visitor's (a session, a
message, a CSRF token, another language or host) is ever kept or served to another."""

from __future__ import annotations

from unittest import mock

from django.shortcuts import render
from django.test import Client, TestCase

from welkom.places.models import Municipality
from welkom.testing import PersonaTestCase


def rendered(path: str = "/loket/", **extra):
    """Whether the view rendered (True) or the kept page answered (False)."""
    from welkom.loket import views

    with mock.patch.object(views, "topic_list", wraps=views.topic_list) as spy:
        response = rendered.client.get(path, **extra)
    return response, spy.called


class PublicPagesTests(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        rendered.client = self.client

    def test_a_page_is_rendered_once_for_everyone_and_per_language(self) -> None:
        first, was_rendered = rendered()
        self.assertTrue(was_rendered)
        again, was_rendered = rendered()
        self.assertFalse(was_rendered)
        self.assertEqual(again.content, first.content)
        self.assertEqual(again["Content-Type"], first["Content-Type"])
        self.assertIn("Content-Security-Policy", again)  # the middleware still runs
        polish, was_rendered = rendered("/pl/loket/")
        self.assertTrue(was_rendered)
        self.assertContains(polish, 'lang="pl"')

    def test_a_committed_change_renders_it_again(self) -> None:
        rendered()
        with self.captureOnCommitCallbacks(execute=True):
            Municipality.objects.first().save()  # a change, committed
        _page, was_rendered = rendered()
        self.assertTrue(was_rendered)

    def test_a_signed_in_user_is_never_served_a_kept_page_nor_keeps_one(self) -> None:
        self.client.force_login(self.venlo_member)
        _page, was_rendered = rendered("/loket/")
        self.assertTrue(was_rendered)
        self.client.logout()
        self.client.cookies.clear()
        _page, was_rendered = rendered("/loket/")
        self.assertTrue(was_rendered)  # the signed-in page was not kept for the public

    def test_a_page_with_a_csrf_token_is_not_kept(self) -> None:
        # The "what must I do?" check posts a form with a CSRF token.
        self.client.get("/loket/check/")
        with mock.patch("welkom.loket.views.render", wraps=render) as spy:
            self.client.get("/loket/check/")
        self.assertTrue(spy.called)

    def test_the_contact_finder_is_kept_and_its_post_needs_no_token(self) -> None:
        first = self.client.get("/loket/contact/", {"municipality": "GM0983"})
        self.assertContains(first, "Venlo")
        with mock.patch("welkom.loket.views.contact_card") as card:
            again = self.client.get("/loket/contact/", {"municipality": "GM0983"})
        self.assertFalse(card.called)
        self.assertEqual(again.content, first.content)
        strict = Client(enforce_csrf_checks=True)
        posted = strict.post("/loket/contact/", {"postcode": "5911 AA"})
        self.assertNotEqual(posted.status_code, 403)


class MarkerTests(TestCase):
    def test_a_change_inside_a_transaction_counts_only_when_it_commits(self) -> None:
        from welkom.lib import public_pages

        before = public_pages._version()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            public_pages.public_pages_changed()
        self.assertEqual(public_pages._version(), before)
        for callback in callbacks:
            callback()
        self.assertNotEqual(public_pages._version(), before)

from __future__ import annotations

from django.test import SimpleTestCase

from welkom.loket.text import render, text_problems


def resolve(target: str) -> str | None:
    return {"loket:contact": "/pl/loket/contact/", "topic:work": "/pl/loket/topics/work/"}.get(
        target
    )


class TextRenderTests(SimpleTestCase):
    def test_it_renders_headings_paragraphs_lists_and_bold(self):
        html = render(
            "Intro line one\nline two.\n\n## Where\n\n- first\n- **second**\n\n1. one\n2. two",
            resolve,
        )
        self.assertIn('<p class="utrecht-paragraph">Intro line one line two.</p>', html)
        self.assertIn('<h2 class="utrecht-heading-2">Where</h2>', html)
        self.assertIn('<li class="utrecht-unordered-list__item"><strong>second</strong></li>', html)
        self.assertIn('<ol class="utrecht-ordered-list">', html)

    def test_it_escapes_html_and_script(self):
        html = render('<script>alert("x")</script> and <b onclick="x()">bold</b>', resolve)
        self.assertNotIn("<script>", html)
        self.assertNotIn("<b ", html)
        self.assertIn("&lt;script&gt;", html)

    def test_it_links_safe_targets_and_welkom_pages_in_the_current_language(self):
        html = render(
            "[Call 112](tel:112), [site](https://example.test/a?b=1&c=2), "
            "[contact](loket:contact), [work](topic:work)",
            resolve,
        )
        self.assertIn('href="tel:112"', html)
        self.assertIn('href="https://example.test/a?b=1&amp;c=2"', html)
        self.assertIn('href="/pl/loket/contact/"', html)
        self.assertIn('href="/pl/loket/topics/work/"', html)

    def test_it_refuses_script_links_and_unknown_pages_keeping_the_text(self):
        html = render("[click](javascript:alert(1)) and [gone](topic:nothing)", resolve)
        self.assertNotIn("href", html)
        self.assertIn("click", html)
        self.assertIn("gone", html)
        self.assertEqual(
            text_problems("[click](javascript:alert(1)) [gone](topic:nothing)", resolve),
            ["javascript:alert(1)", "topic:nothing"],
        )

    def test_a_target_may_hold_parentheses(self):
        html = render("[RNI](https://example.test/Niet-Ingezetenen-(RNI).html).", resolve)
        self.assertIn('href="https://example.test/Niet-Ingezetenen-(RNI).html">RNI</a>.', html)

    def test_a_link_that_is_not_a_link_is_reported(self):
        self.assertEqual(text_problems("[call](tel:+31 6 1234)", resolve), ["](tel:+31 6 1234)"])

    def test_long_runs_of_headings_and_brackets_render(self):
        html = render("\n".join(["## h"] * 3000) + "\ntext", resolve)
        self.assertEqual(html.count("<h2"), 3000)
        self.assertIn("text</p>", html)
        self.assertIn("[a" * 100, render("[a" * 20_000, resolve))

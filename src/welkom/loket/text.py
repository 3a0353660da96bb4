"""The loket's text format: a small, safe subset of Markdown that staff write in the browser.

Supported, and nothing else: `## heading` and `### heading`, paragraphs separated by a blank
line, `- ` bullet lists, `1. ` numbered lists, `**bold**`, and links `[text](target)`. A target
is a web address (https, http), `tel:`, `mailto:`, a page of Welkom (`loket:contact`,
`loket:check`, `loket:directory`, `loket:index`) or another topic (`topic:<slug>`).
Everything is escaped first, so a text can never carry HTML or script into the page.
`text_problems` tells an editor what will not work before the text is saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A link's text has no brackets and at most 300 characters (so that a text full of "[" is read
# in linear time); its target has no spaces and may hold one level of parentheses, as in
# "…/Niet-Ingezetenen-(RNI).html".
_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\(((?:[^()\s]|\([^()\s]*\))+)\)")
_LINK_START = re.compile(r"\]\(")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_BULLET = re.compile(r"^[-*] +(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)] +(.*)$")
_HEADING = re.compile(r"^(#{2,3}) +(.*)$")
_SAFE_SCHEMES = ("https://", "http://", "tel:", "mailto:")
WELKOM_PAGES = ("loket:index", "loket:contact", "loket:check", "loket:directory")

Resolver = Callable[[str], "str | None"]


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _target(raw: str, resolve: Resolver) -> str | None:
    """The address a link goes to, or None when the target is not allowed."""
    if raw.startswith(_SAFE_SCHEMES):
        return raw
    if raw in WELKOM_PAGES or raw.startswith("topic:"):
        return resolve(raw)
    return None


def _inline(text: str, resolve: Resolver) -> str:
    """Escape a line, then turn links and bold into HTML."""
    parts: list[str] = []
    position = 0
    for match in _LINK.finditer(text):
        parts.append(_bold(escape(text[position : match.start()])))
        label, raw = match.group(1), match.group(2)
        target = _target(raw, resolve)
        if target is None:
            parts.append(_bold(escape(label)))
        else:
            parts.append(
                f'<a class="utrecht-link" href="{escape(target)}">{_bold(escape(label))}</a>'
            )
        position = match.end()
    parts.append(_bold(escape(text[position:])))
    return "".join(parts)


def _bold(escaped: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def _list(lines: list[str], pattern: re.Pattern, tag: str, css: str, resolve: Resolver) -> str:
    items: list[str] = []
    for line in lines:
        match = pattern.match(line.strip())
        if match:
            items.append(match.group(1))
        elif items:  # a continued item
            items[-1] += " " + line.strip()
    body = "".join(f'<li class="{css}__item">{_inline(item, resolve)}</li>' for item in items)
    return f'<{tag} class="{css}">{body}</{tag}>'


def _split_headings(blocks: list[list[str]]) -> list[list[str]]:
    """A heading line directly followed by text becomes a block of its own."""
    split: list[list[str]] = []
    for block in blocks:
        while len(block) > 1 and _HEADING.match(block[0].strip()):
            split.append([block[0]])
            block = block[1:]
        split.append(block)
    return split


def render(text: str, resolve: Resolver) -> SafeString:
    """The text as HTML. `resolve` turns `loket:…` and `topic:…` targets into addresses."""
    html: list[str] = []
    for block in _split_headings(_blocks(text)):
        first = block[0].strip()
        heading = _HEADING.match(first)
        if heading:
            level = len(heading.group(1))
            html.append(
                f'<h{level} class="utrecht-heading-{level}">'
                f"{_inline(heading.group(2), resolve)}</h{level}>"
            )
        elif _BULLET.match(first):
            html.append(_list(block, _BULLET, "ul", "utrecht-unordered-list", resolve))
        elif _NUMBERED.match(first):
            html.append(_list(block, _NUMBERED, "ol", "utrecht-ordered-list", resolve))
        else:
            paragraph = " ".join(line.strip() for line in block)
            html.append(f'<p class="utrecht-paragraph">{_inline(paragraph, resolve)}</p>')
    return mark_safe("\n".join(html))  # every piece of text was escaped above


def text_problems(text: str, resolve: Resolver) -> list[str]:
    """What will not work as a link, each as the editor wrote it: a target that is not
    allowed or leads nowhere, or a "[text](…" that is not a link at all (a space in the
    target, say)."""
    problems = []
    linked: set[int] = set()
    for match in _LINK.finditer(text):
        linked.add(text.index("](", match.start()))
        raw = match.group(2)
        if _target(raw, resolve) is None:
            problems.append(raw)
    for start in _LINK_START.finditer(text):
        if start.start() not in linked:
            line_end = text.find("\n", start.start())
            problems.append(text[start.start() : line_end if line_end != -1 else None][:60])
    return problems


def safe_address(address: str) -> str | None:
    """A source's web address, or None unless it is https or http."""
    return address if address.startswith(("https://", "http://")) else None

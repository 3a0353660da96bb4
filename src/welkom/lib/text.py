"""Characters a cell of an imported file must not hold, whatever the file: controls, and
the invisible marks that turn the direction of text (U+202E shows "Kowalski" as "ikslawoK",
so a shown value can lie about what is stored)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

CONTROL_CHARACTERS = gettext_noop("Contains control characters, such as a tab or a line break.")
DIRECTION_CHARACTERS = gettext_noop(
    "Contains invisible characters that turn the direction of the text: type the value again."
)

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DIRECTION = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def direction_marked(value: str) -> bool:
    # isprintable() is False for every such mark: the common case costs no regular expression.
    return not value.isprintable() and DIRECTION.search(value) is not None

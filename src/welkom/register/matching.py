"""How one person is recognised across night lists and providers: pure, no database."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

_SEPARATORS = re.compile(r"[\s\-‐‑'’.]+")
# Letters that Unicode does not decompose into a base letter plus an accent.
_PLAIN = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"}
)


@functools.lru_cache(maxsize=100_000)  # pure, and names repeat on every night of a list
def name_normalise(text: str) -> str:
    """Case, diacritics, spacing, hyphens and apostrophes do not tell two people apart."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(_PLAIN))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", stripped.casefold()).strip()


@functools.lru_cache(maxsize=200_000)
def person_match_key(
    *, family_name: str, given_names: str, date_of_birth: date, nationality: str
) -> str:
    return "|".join(
        [
            name_normalise(family_name),
            name_normalise(given_names),
            date_of_birth.isoformat(),
            nationality.upper(),
        ]
    )

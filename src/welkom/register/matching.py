"""How one person is recognised across night lists and providers: pure, no database."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

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


class Known(NamedTuple):
    """A person as the register has them: what matching needs."""

    pk: int
    bsn: str
    match_key: str
    registration: str
    document_type: str = ""
    document_number: str = ""


def document_after(stored: tuple[str, str], listed: tuple[str, str]) -> tuple[str, str]:
    """The ID document (type, number) a person has after a list names them: the list's, but
    a list that gives the same type without its number keeps the number known."""
    if listed[0] == stored[0] and not listed[1]:
        return stored
    return listed


@dataclass
class Matched:
    """The persons of a batch of lists, matched to the register in order.

    `ids`: per list, per listed person (by index), the person's id; a new person has id
    -(n + 1), n its index in `new` (the listing it is created from, with `bsn_of_new` and
    `registration_of` saying what it is created with). `registration_of`: every matched
    person's registration after the lists; `document_of`: every matched person's ID document
    (type, number) after the lists; `bsn_given`: known persons who now have a BSN;
    `created`: per list, the persons it created; `changed`: per list, the persons it found
    (in the register or in an earlier list) whose registration or document it changed or who
    got a BSN from it, as many as it would have changed arriving alone."""

    ids: list[list[int]] = field(default_factory=list)
    new: list = field(default_factory=list)
    bsn_of_new: dict[int, str] = field(default_factory=dict)
    registration_of: dict[int, str] = field(default_factory=dict)
    document_of: dict[int, tuple[str, str]] = field(default_factory=dict)
    bsn_given: dict[int, str] = field(default_factory=dict)
    created: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)


def persons_matched(lists: Iterable[Iterable], known: Iterable[Known]) -> Matched:
    """Match each list's persons (listings with `bsn`, `match_key`, `registration`) to the
    `known` persons: by BSN when the list gives one, else by normalised name, birth date and
    nationality (the first such person by id); new when not found. The lists are read in
    order, as if they came one by one: a person new in the first list is found, not created
    again, in the second, and a registration or document the list gives replaces the one
    before (`document_after`)."""
    matched = Matched()
    found_by_bsn: dict[str, int] = {}
    by_match_key: dict[str, list[int]] = defaultdict(list)
    bsn_of: dict[int, str] = {}
    for person in sorted(known):
        if person.bsn:
            found_by_bsn[person.bsn] = person.pk
        by_match_key[person.match_key].append(person.pk)
        bsn_of[person.pk] = person.bsn
        matched.registration_of[person.pk] = person.registration
        matched.document_of[person.pk] = (person.document_type, person.document_number)
    for persons in lists:
        ids, created, changed = [], 0, 0
        new_here: set[int] = set()
        for person in persons:
            changed_here = False  # a BSN given, a registration or document changed by this list
            if person.bsn and person.bsn in found_by_bsn:
                pk = found_by_bsn[person.bsn]
            else:
                candidates = by_match_key.get(person.match_key, [])
                if person.bsn:
                    # A BSN now, for a person known by name only: the same person, who got
                    # a BSN. A namesake with another BSN is someone else.
                    candidates = [c for c in candidates if not bsn_of[c]]
                if candidates:
                    pk = candidates[0]
                    if person.bsn:
                        bsn_of[pk] = found_by_bsn[person.bsn] = person.bsn
                        changed_here = True
                        if pk > 0:
                            matched.bsn_given[pk] = person.bsn
                        else:
                            matched.bsn_of_new[pk] = person.bsn
                else:
                    matched.new.append(person)
                    pk = -len(matched.new)
                    created += 1
                    new_here.add(pk)
                    by_match_key[person.match_key].append(pk)
                    bsn_of[pk] = matched.bsn_of_new[pk] = person.bsn
                    if person.bsn:
                        found_by_bsn[person.bsn] = pk
                    matched.registration_of[pk] = person.registration or "unknown"
                    matched.document_of[pk] = (person.document_type, person.document_number)
            document = document_after(
                matched.document_of[pk], (person.document_type, person.document_number)
            )
            if document != matched.document_of[pk]:
                changed_here = True
                matched.document_of[pk] = document
            if person.registration:
                if matched.registration_of[pk] != person.registration:
                    changed_here = True
                matched.registration_of[pk] = person.registration
            changed += changed_here and pk not in new_here
            ids.append(pk)
        matched.ids.append(ids)
        matched.created.append(created)
        matched.changed.append(changed)
    return matched

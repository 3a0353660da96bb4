"""Compiling and checking the message catalogues in Python (polib), without GNU gettext."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

# English is the language of the msgids, so its catalogue may leave entries empty.
SOURCE_LANGUAGE = "en"


def catalogues() -> list[Path]:
    return sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))


def catalogues_compile() -> list[Path]:
    compiled = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled.append(mo_path)
    return compiled


@dataclass(frozen=True)
class Gap:
    language: str
    msgid: str
    problem: str


def catalogue_gaps() -> list[Gap]:
    """Entries that a reader would see untranslated: empty or fuzzy, in any language but English."""
    gaps = []
    for po_path in catalogues():
        language = po_path.parent.parent.name
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                gaps.append(Gap(language, entry.msgid, "fuzzy"))
            elif language != SOURCE_LANGUAGE and not entry.translated():
                gaps.append(Gap(language, entry.msgid, "untranslated"))
    return gaps


def catalogue_entries(po_path: Path) -> set[tuple]:
    """What makemessages controls in a catalogue: the msgids, their context and plurals."""
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural)
        for entry in polib.pofile(str(po_path))
        if not entry.obsolete
    }

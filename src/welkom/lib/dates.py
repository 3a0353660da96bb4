"""Dates written out for readers, as they stand in a sentence in each language.

Django's own formats give "14 Martie 2027" (Romanian) and "09 Март 2027" (Bulgarian): month
names capitalised and a leading zero, which the languages do not write in running text.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

# Languages whose month names are lowercase within a sentence, and their written form.
_IN_A_SENTENCE = {"ro": "j F Y", "bg": "j F Y \\г."}


def long_date(value: date | None) -> str:
    """ "14 March 2027" in the reader's language, as written in a sentence."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # the day it is in the Netherlands
    language = get_language()
    written = _IN_A_SENTENCE.get(language)
    if written is None:
        return date_format(value, "DATE_FORMAT")
    month = date_format(value, "F")
    return date_format(value, written).replace(month, month.lower())

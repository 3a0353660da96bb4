from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def explained(finding) -> str:
    """A finding's explanation in the reader's language, with its parameters filled in."""
    text = gettext(finding.explanation)
    return text % finding.parameters if "%(" in text else text

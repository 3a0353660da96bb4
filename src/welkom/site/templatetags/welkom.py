from __future__ import annotations

from django import forms, template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

from welkom.lib.dates import long_date as _long_date

register = template.Library()

_WIDGET_CLASSES = {  # the first class that matches wins: subclasses before their parents
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
}


@register.filter
def long_date(value) -> str:
    """A date as written in a sentence in the reader's language (welkom.lib.dates)."""
    return _long_date(value)


@register.filter
def language_name(code: str) -> str:
    """A language in its own name ("polski"); an unknown code as it is."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


@register.simple_tag
def form_widget(field) -> str:
    """Renders a field's widget with NL Design System classes and its ARIA description."""
    widget = field.field.widget
    classes = next(
        (css for kind, css in _WIDGET_CLASSES.items() if isinstance(widget, kind)),
        "utrecht-textbox utrecht-textbox--html-input",
    )
    if isinstance(widget, forms.RadioSelect):  # also CheckboxSelectMultiple
        return _choice_group(field, classes)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        classes += " utrecht-textbox--invalid"
    attrs = {"class": classes}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


def _choice_group(field, classes: str) -> str:
    """Radio buttons or checkboxes: the NL Design System classes on each input, not on the
    wrapping <div> that Django gives the same attributes (it would be drawn as one big radio
    button). The legend of the fieldset around the group names it."""
    attrs = {"class": classes}
    described_by = [f"{field.auto_id}_help"] if field.help_text else []
    if field.errors:
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.auto_id}_error")
    if described_by:  # on each input: screen readers read a fieldset's description poorly
        attrs["aria-describedby"] = " ".join(described_by)
    html = str(field.as_widget(attrs=attrs))
    wrapper = f'<div id="{field.auto_id}" class="{classes}">'
    return mark_safe(
        html.replace(wrapper, f'<div id="{field.auto_id}" class="welkom-choice-list">', 1)
    )

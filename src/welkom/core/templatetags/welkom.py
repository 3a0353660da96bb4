from __future__ import annotations

from django import forms, template

register = template.Library()

_WIDGET_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
}


@register.simple_tag
def form_widget(field) -> str:
    """Renders a field's widget with NL Design System classes and its ARIA description."""
    widget = field.field.widget
    classes = next(
        (css for kind, css in _WIDGET_CLASSES.items() if isinstance(widget, kind)),
        "utrecht-textbox utrecht-textbox--html-input",
    )
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

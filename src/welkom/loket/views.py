"""The loket: public pages without login (topics, contact finder, the check, the directory),
and the pages where staff keep them (texts for the province's editors; contact and directory
for each municipality)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from welkom.loket import rules
from welkom.loket.forms import (
    ActivityForm,
    CheckForm,
    ContactFinderForm,
    ContactForm,
    DirectoryFilterForm,
    LocationForm,
    TopicTextForm,
)
from welkom.loket.models import Activity, MunicipalContact, Topic, TopicText
from welkom.loket.selectors import (
    SOURCE_LANGUAGE,
    activities_where,
    contact_card,
    text_status,
    topic_list,
    topic_page,
    translation_overview,
)
from welkom.loket.services import contact_confirm, contact_save, topic_text_save
from welkom.loket.text import WELKOM_PAGES
from welkom.loket.text import render as text_render
from welkom.organisations.selectors import territory_where
from welkom.places.models import Municipality
from welkom.places.selectors import municipality_at


def _resolve(target: str) -> str | None:
    """Where a `loket:…` or `topic:…` link in a text goes, in the current language."""
    if target in WELKOM_PAGES:
        return reverse(target)
    slug = target.removeprefix("topic:")
    if Topic.objects.filter(slug=slug).exists():
        return reverse("loket:topic", args=[slug])
    return None


def _language_name(code: str) -> str:
    return get_language_info(code)["name_translated"]


# --- Public ------------------------------------------------------------------------------


def index(request):
    return render(request, "loket/index.html", {"pages": topic_list(get_language())})


def topic(request, slug: str):
    page = topic_page(slug, get_language())
    if page is None:
        raise Http404
    return render(
        request,
        "loket/topic.html",
        {
            "page": page,
            "body": text_render(page.text.body, _resolve),
            "sources": [
                [part.strip() for part in line.split("|", 1)]
                for line in page.topic.sources.splitlines()
                if "|" in line
            ],
            "others": [p for p in topic_list(get_language()) if p.topic.slug != slug],
        },
    )


def contact(request):
    """Postcode or municipality (or, with JavaScript, the visitor's location) → the contact."""
    card = None
    location_error = ""
    if request.method == "POST":  # "use my location": posted, so no coordinates in any log
        form = ContactFinderForm()
        located = LocationForm(request.POST)
        if located.is_valid():
            found = municipality_at(
                located.cleaned_data["latitude"], located.cleaned_data["longitude"]
            )
            if found is None:
                location_error = _(
                    "Your location is outside the province of Limburg. Welkom covers the 31 "
                    "municipalities of Limburg only."
                )
            else:
                card = contact_card(found)
        else:
            location_error = _("Your location could not be read. Give a postcode instead.")
    else:
        form = ContactFinderForm(request.GET or None)
        if form.is_bound and form.is_valid():
            card = contact_card(form.cleaned_data["municipality"])
    return render(
        request,
        "loket/contact.html",
        {
            "form": form,
            "card": card,
            "location_error": location_error,
            "location_form": LocationForm(),
            "municipalities": Municipality.objects.all(),
        },
        status=400 if (form.is_bound and form.errors) or location_error else 200,
    )


@never_cache
def check(request):
    """The "What must I do?" check. Posted, so that no answer ends up in an address or a server
    log; nothing is stored, and nothing about the visitor is logged."""
    form = CheckForm(request.POST if request.method == "POST" else None)
    steps = card = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        steps = rules.steps_for(
            arrival=data["arrival"],
            departure=data["departure"],
            registration_status=data["registration"],
            municipality_code=data["municipality"].code,
            today=timezone.localdate(),
        )
        card = contact_card(data["municipality"])
    return render(
        request,
        "loket/check.html",
        {
            "form": form,
            "steps": steps,
            "card": card,
            "kinds": rules,
            "municipalities": Municipality.objects.all(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = activities_where(
        municipality=filters.get("municipality"),
        language=filters.get("language", ""),
        kind=filters.get("kind", ""),
    )
    return render(
        request,
        "loket/directory.html",
        {"form": form, "activities": found, "searched": bool(filters)},
    )


# --- Staff --------------------------------------------------------------------------------


def _own_municipality(request, permission: str) -> Municipality:
    territory = territory_where(request.user, permission)
    if not territory:
        raise PermissionDenied
    return get_object_or_404(Municipality, pk=territory[0])


@login_required
def manage(request):
    """The loket's back office: what this user may keep."""
    can_edit_texts = request.user.has_perm("loket.change_topictext")
    territory = territory_where(request.user, "loket.change_municipalcontact")
    if not can_edit_texts and not territory:
        raise PermissionDenied
    municipality = Municipality.objects.filter(pk__in=territory).first()
    return render(
        request,
        "loket/manage.html",
        {
            "rows": translation_overview() if can_edit_texts else [],
            "can_edit_texts": can_edit_texts,
            "municipality": municipality,
            "contact": MunicipalContact.objects.filter(municipality=municipality).first(),
        },
    )


@login_required
@permission_required("loket.change_topictext", raise_exception=True)
def topic_edit(request, slug: str, language: str):
    topic_ = get_object_or_404(Topic, slug=slug)
    if language not in dict(settings.LANGUAGES):
        raise Http404
    text = TopicText.objects.filter(topic=topic_, language=language).first()
    source = TopicText.objects.filter(topic=topic_, language=SOURCE_LANGUAGE).first()
    if text is None:
        if source is None:
            raise Http404
        text = TopicText(
            topic=topic_,
            language=language,
            checked_on=source.checked_on,
            source_revision=0,
            origin=TopicText.Origin.REVIEWED,
        )
    form = TopicTextForm(
        request.POST if request.method == "POST" else None, instance=text, resolve=_resolve
    )
    if request.method == "POST" and form.is_valid():
        topic_text_save(
            form.save(commit=False),
            user=request.user,
            reviewed=form.cleaned_data.get("reviewed", False),
        )
        messages.success(request, _("The text is saved."))
        return redirect("loket:manage")
    return render(
        request,
        "loket/topic_edit.html",
        {
            "topic": topic_,
            "form": form,
            "language_name": _language_name(language),
            "language": language,
            "source": source if language != SOURCE_LANGUAGE else None,
            "status": text_status(text, source) if text.pk else "missing",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("loket.change_municipalcontact", raise_exception=True)
def contact_edit(request):
    municipality = _own_municipality(request, "loket.change_municipalcontact")
    contact_ = MunicipalContact.objects.filter(municipality=municipality).first()
    contact_ = contact_ or MunicipalContact(municipality=municipality)
    form = ContactForm(request.POST if request.method == "POST" else None, instance=contact_)
    if request.method == "POST" and form.is_valid():
        contact_save(form.save(commit=False), user=request.user)
        messages.success(request, _("The contact is saved and shown in the loket."))
        return redirect("loket:manage")
    return render(
        request,
        "loket/contact_edit.html",
        {"form": form, "municipality": municipality},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@permission_required("loket.change_municipalcontact", raise_exception=True)
def contact_confirmed(request):
    municipality = _own_municipality(request, "loket.change_municipalcontact")
    contact_ = get_object_or_404(MunicipalContact, municipality=municipality)
    contact_confirm(contact_, user=request.user)
    messages.success(request, _("Thank you: the contact is confirmed as of today."))
    return redirect("loket:manage")


@login_required
@permission_required("loket.change_activity", raise_exception=True)
def activities(request, activity_id: int | None = None):
    """A municipality's own directory: the list, and a form to add or change an entry."""
    municipality = _own_municipality(request, "loket.change_activity")
    activity = (
        get_object_or_404(Activity, pk=activity_id, municipality=municipality)
        if activity_id
        else None
    )
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        instance=activity,
        municipality=municipality,
    )
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.updated_by = request.user
        entry.save()
        messages.success(request, _("The directory entry is saved."))
        return redirect("loket:activities")
    return render(
        request,
        "loket/activities.html",
        {
            "municipality": municipality,
            "entries": Activity.objects.filter(municipality=municipality),
            "form": form,
            "activity": activity,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@permission_required("loket.change_activity", raise_exception=True)
def activity_delete(request, activity_id: int):
    municipality = _own_municipality(request, "loket.change_activity")
    get_object_or_404(Activity, pk=activity_id, municipality=municipality).delete()
    messages.success(request, _("The directory entry is removed."))
    return redirect("loket:activities")

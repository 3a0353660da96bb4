"""The loket: public pages without login (topics, contact finder, the check, the directory),
and the pages where staff keep them (texts for the province's editors; contact and directory
for each municipality)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from welkom.lib.public_pages import kept_public
from welkom.lib.throttle import Rate, throttled
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
    MISSING,
    SOURCE_LANGUAGE,
    activities_where,
    contact_card,
    text_status,
    topic_list,
    topic_page,
    translation_overview,
)
from welkom.loket.services import (
    TextChangedMeanwhile,
    contact_confirmed,
    contact_save,
    topic_text_save,
)
from welkom.loket.text import WELKOM_PAGES, safe_address
from welkom.loket.text import render as text_render
from welkom.organisations.selectors import territory_where
from welkom.places.models import Municipality
from welkom.places.selectors import municipality_at

# A public form sent from one address: far more than a person (or a housing location's
# shared connection) asks, far less than a script.
PUBLIC_FORM = Rate(120, 60)


def _resolve(target: str) -> str | None:
    """Where a `loket:…` or `topic:…` link in a text goes, in the current language."""
    if target in WELKOM_PAGES:
        return reverse(target)
    slug = target.removeprefix("topic:")
    if Topic.objects.filter(slug=slug).exists():
        return reverse("loket:topic", args=[slug])
    return None


def _sources(topic: Topic) -> list[tuple[str, str]]:
    """A topic's sources as (title, web address); a line without a web address is left out."""
    sources = []
    for line in topic.sources.splitlines():
        title, _sep, address = (part.strip() for part in line.partition("|"))
        if safe_address(address):
            sources.append((title, address))
    return sources


def _language_name(code: str) -> str:
    return get_language_info(code)["name_translated"]


# --- Public ------------------------------------------------------------------------------


@kept_public
def index(request) -> HttpResponse:
    return render(request, "loket/index.html", {"pages": topic_list(get_language())})


@kept_public
def topic(request, slug: str) -> HttpResponse:
    page = topic_page(slug, get_language())
    if page is None:
        raise Http404
    return render(
        request,
        "loket/topic.html",
        {
            "page": page,
            "body": text_render(page.text.body, _resolve),
            "sources": _sources(page.topic),
            "others": [p for p in topic_list(get_language()) if p.topic.slug != slug],
        },
    )


# A lookup that changes nothing: without a CSRF token its page is the same for everyone and
# can be kept (lib.public_pages); a forged post could only show someone a contact card.
@csrf_exempt
@throttled("loket.contact", PUBLIC_FORM)
@kept_public
@sensitive_post_parameters()
def contact(request) -> HttpResponse:
    """Postcode or municipality (or, with JavaScript, the visitor's location) → the contact.

    The postcode and the location are posted, so that neither ends up in an address or a
    server log; a municipality can also be linked to by its code (`?municipality=GM0983`)."""
    card = None
    location_error = ""
    form = ContactFinderForm(request.GET or None)
    if request.method == "POST" and "latitude" in request.POST:
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
    elif request.method == "POST":
        form = ContactFinderForm(request.POST)
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
@throttled("loket.check", PUBLIC_FORM)
@sensitive_post_parameters()
def check(request) -> HttpResponse:
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
            "step_kinds": rules,
            "municipalities": Municipality.objects.all(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@throttled("loket.directory", PUBLIC_FORM)
@kept_public
def directory(request) -> HttpResponse:
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


def _kept_municipality(request, permission: str, code: str) -> Municipality:
    """The municipality in the address, if the user keeps its loket data with `permission`.
    A user of several municipalities works on each by its own address."""
    municipality = get_object_or_404(Municipality, code=code)
    if municipality.pk not in territory_where(request.user, permission):
        raise PermissionDenied
    return municipality


@login_required
def manage(request) -> HttpResponse:
    """The loket's back office: the pages and translations for the province's editors, and
    for each municipality the user works for, its contact and its directory."""
    can_edit_texts = request.user.has_perm("loket.change_topictext")
    territory = territory_where(request.user, "loket.change_municipalcontact")
    if not can_edit_texts and not territory:
        raise PermissionDenied
    municipalities = Municipality.objects.filter(pk__in=territory)
    contacts = {
        c.municipality_id: c
        for c in MunicipalContact.objects.filter(municipality__in=municipalities)
    }
    return render(
        request,
        "loket/manage.html",
        {
            "rows": translation_overview() if can_edit_texts else [],
            "can_edit_texts": can_edit_texts,
            "kept": [(m, contacts.get(m.pk)) for m in municipalities],
        },
    )


@login_required
@permission_required("loket.change_topictext", raise_exception=True)
def topic_edit(request, slug: str, language: str) -> HttpResponse:
    topic_ = get_object_or_404(Topic, slug=slug)
    if language not in dict(settings.LANGUAGES):
        raise Http404
    source = TopicText.objects.filter(topic=topic_, language=SOURCE_LANGUAGE).first()
    if source is None:
        raise Http404  # a topic without its Dutch source text is not edited here
    text = TopicText.objects.filter(topic=topic_, language=language).first()
    if text is None:  # a new translation, written by staff against the current Dutch text
        text = TopicText(topic=topic_, language=language, checked_on=source.checked_on)
    form = TopicTextForm(
        request.POST if request.method == "POST" else None,
        instance=text,
        resolve=_resolve,
        source_revision=source.revision,
    )
    if request.method == "POST" and form.is_valid():
        try:
            topic_text_save(
                form.save(commit=False),
                user=request.user,
                reviewed=form.cleaned_data.get("reviewed", False),
                source_revision_seen=form.cleaned_data["source_revision_seen"],
            )
        except TextChangedMeanwhile:
            form.add_error(
                None,
                _(
                    "Someone else changed the Dutch text while you were editing. Open the page "
                    "again to see their change, then make yours."
                ),
            )
        else:
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
            "status": text_status(text, source) if text.pk else MISSING,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@permission_required("loket.change_municipalcontact", raise_exception=True)
def contact_edit(request, code: str) -> HttpResponse:
    municipality = _kept_municipality(request, "loket.change_municipalcontact", code)
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
def contact_confirm(request, code: str) -> HttpResponse:
    municipality = _kept_municipality(request, "loket.change_municipalcontact", code)
    contact_ = get_object_or_404(MunicipalContact, municipality=municipality)
    contact_confirmed(contact_, user=request.user)
    messages.success(request, _("Thank you: the contact is confirmed as of today."))
    return redirect("loket:manage")


@login_required
@permission_required("loket.change_activity", raise_exception=True)
def activities(request, code: str, activity_id: int | None = None) -> HttpResponse:
    """A municipality's own directory: the list, and a form to add an entry or, with
    `activity_id`, to change one."""
    municipality = _kept_municipality(request, "loket.change_activity", code)
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
        return redirect("loket:activities", code=municipality.code)
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
def activity_delete(request, code: str, activity_id: int) -> HttpResponse:
    municipality = _kept_municipality(request, "loket.change_activity", code)
    get_object_or_404(Activity, pk=activity_id, municipality=municipality).delete()
    messages.success(request, _("The directory entry is removed."))
    return redirect("loket:activities", code=municipality.code)

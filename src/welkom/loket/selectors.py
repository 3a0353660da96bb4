"""Reading the loket: a topic in the reader's language (or English, said so), a
municipality's contact with its nearest RNI desk, and the directory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from welkom.loket.models import Activity, MunicipalContact, Topic, TopicText
from welkom.loket.reference import RNI_DESK_MUNICIPALITIES, GeneralContact, general_contacts
from welkom.places.geometry import centre, distance_km
from welkom.places.models import Municipality

SOURCE_LANGUAGE = settings.LANGUAGE_CODE  # Dutch: the text that translations follow
FALLBACK_LANGUAGE = "en"

UP_TO_DATE = "up-to-date"
OUTDATED = "outdated"
MACHINE = "machine"
MISSING = "missing"


def text_status(text: TopicText, source: TopicText | None) -> str:
    """Up to date, outdated (the Dutch text changed since), or machine-translated and not yet
    reviewed. Outdated wins: it says more about what the reader may miss."""
    if text.language == SOURCE_LANGUAGE:
        return UP_TO_DATE
    if source is not None and text.source_revision < source.revision:
        return OUTDATED
    if text.origin == TopicText.Origin.MACHINE:
        return MACHINE
    return UP_TO_DATE


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    text: TopicText
    status: str
    source_changed_at: datetime | None  # when the Dutch text changed, for an outdated text
    fallback: bool  # True: not in the reader's language, shown in English (or Dutch)


def topic_page(slug: str, language: str) -> TopicPage | None:
    """The topic in `language`; else in English, else in Dutch, marked as a fallback."""
    texts = {
        t.language: t for t in TopicText.objects.filter(topic__slug=slug).select_related("topic")
    }
    for candidate in (language, FALLBACK_LANGUAGE, SOURCE_LANGUAGE):
        if candidate in texts:
            text = texts[candidate]
            source = texts.get(SOURCE_LANGUAGE)
            status = text_status(text, source)
            return TopicPage(
                topic=text.topic,
                text=text,
                status=status,
                source_changed_at=source.revised_at if source and status == OUTDATED else None,
                fallback=candidate != language,
            )
    return None


def topic_list(language: str) -> list[TopicPage]:
    """Every topic, in the reader's language where it exists, in the topics' order."""
    texts: dict[int, dict[str, TopicText]] = {}
    for text in TopicText.objects.select_related("topic"):
        texts.setdefault(text.topic_id, {})[text.language] = text
    pages = []
    for topic in Topic.objects.all():
        by_language = texts.get(topic.pk, {})
        for candidate in (language, FALLBACK_LANGUAGE, SOURCE_LANGUAGE):
            if candidate in by_language:
                text = by_language[candidate]
                source = by_language.get(SOURCE_LANGUAGE)
                pages.append(
                    TopicPage(topic, text, text_status(text, source), None, candidate != language)
                )
                break
    return pages


@dataclass(frozen=True)
class TranslationRow:
    """For editors: one topic with the status of each language."""

    topic: Topic
    title: str
    cells: list[tuple[str, TopicText | None, str]]  # (language, text, status)


def translation_overview() -> list[TranslationRow]:
    texts: dict[int, dict[str, TopicText]] = {}
    for text in TopicText.objects.all():
        texts.setdefault(text.topic_id, {})[text.language] = text
    rows = []
    for topic in Topic.objects.all():
        by_language = texts.get(topic.pk, {})
        source = by_language.get(SOURCE_LANGUAGE)
        cells = []
        for code, _name in settings.LANGUAGES:
            text = by_language.get(code)
            cells.append((code, text, text_status(text, source) if text else MISSING))
        rows.append(TranslationRow(topic, source.title if source else topic.slug, cells))
    return rows


@dataclass(frozen=True)
class ContactCard:
    """What the contact finder shows for a municipality: its own contact for international
    workers when entered, otherwise its general contact; and the nearest RNI desk."""

    municipality: Municipality
    contact: MunicipalContact | None
    general: GeneralContact | None
    rni_desk: Municipality | None
    rni_desk_km: float | None
    rni_desk_general: GeneralContact | None


def contact_card(municipality: Municipality) -> ContactCard:
    contact = MunicipalContact.objects.filter(municipality=municipality).first()
    desk, km = nearest_rni_desk(municipality)
    return ContactCard(
        municipality=municipality,
        contact=contact,
        general=general_contacts().get(municipality.code),
        rni_desk=desk,
        rni_desk_km=km,
        rni_desk_general=general_contacts().get(desk.code) if desk else None,
    )


def nearest_rni_desk(municipality: Municipality) -> tuple[Municipality | None, float | None]:
    """The RNI desk (Heerlen or Venlo) closest to the municipality's centre."""
    here = centre(municipality.boundary)
    desks = list(Municipality.objects.filter(code__in=RNI_DESK_MUNICIPALITIES))
    if here is None or not desks:
        return (desks[0] if desks else None), None
    best = None
    for desk in desks:
        there = centre(desk.boundary)
        km = distance_km(here, there) if there else float("inf")
        if best is None or km < best[1]:
            best = (desk, km)
    return best


def activities_where(
    *, municipality: Municipality | None = None, language: str = "", kind: str = ""
) -> QuerySet[Activity]:
    """The directory, narrowed by municipality, language of instruction and kind."""
    found = Activity.objects.select_related("municipality")
    if municipality is not None:
        found = found.filter(municipality=municipality)
    if kind:
        found = found.filter(kind=kind)
    if language:
        # A JSON list of language codes; matched in Python so that SQLite and PostgreSQL agree.
        pairs = found.values_list("pk", "languages")
        ids = [pk for pk, languages in pairs if language in languages]
        found = found.filter(pk__in=ids)
    return found

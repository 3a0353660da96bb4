"""Changing the loket: loading the shipped content, editing a topic's text (which makes the
translations outdated when the Dutch text changes), a municipality's contact, and its
directory entries. Forms, commands and the demo all come through here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from welkom.loket.content import CONTENT_DIR, content_files
from welkom.loket.models import MunicipalContact, Topic, TopicText
from welkom.loket.selectors import SOURCE_LANGUAGE
from welkom.organisations.selectors import processing_by
from welkom.processing_log.models import Entry
from welkom.processing_log.services import processing_log_write

TEXT_FIELDS = ("title", "summary", "body")


@dataclass(frozen=True)
class ContentLoad:
    topics_created: int
    texts_created: int
    texts_present: int


@transaction.atomic
def content_load(directory=CONTENT_DIR) -> ContentLoad:
    """Load the shipped topics and texts that the database does not have yet. A text already
    present is left alone, edited or not, so running this again changes nothing. Shipped
    translations count as machine-translated until staff review them."""
    topics_created = texts_created = texts_present = 0
    for shipped in content_files(directory):
        topic, created = Topic.objects.get_or_create(
            slug=shipped.slug,
            defaults={"position": shipped.position, "sources": "\n".join(shipped.sources)},
        )
        topics_created += created
        _text, created = TopicText.objects.get_or_create(
            topic=topic,
            language=shipped.language,
            defaults={
                "title": shipped.title,
                "summary": shipped.summary,
                "body": shipped.body,
                "checked_on": shipped.checked,
                "origin": (
                    TopicText.Origin.REVIEWED
                    if shipped.language == SOURCE_LANGUAGE
                    else TopicText.Origin.MACHINE
                ),
            },
        )
        texts_created += created
        texts_present += not created
    return ContentLoad(topics_created, texts_created, texts_present)


class TextChangedMeanwhile(Exception):
    """The Dutch text changed between opening the form and saving it."""


@transaction.atomic
def topic_text_save(
    text: TopicText, *, user, reviewed: bool, source_revision_seen: int
) -> TopicText:
    """Save an edited text. `source_revision_seen` is the Dutch revision the editor had on
    screen. A change to the Dutch text raises its revision, which makes every translation
    outdated; if the Dutch text changed meanwhile, nothing is saved (TextChangedMeanwhile),
    so no one overwrites another's change unseen. A translation checked against the Dutch
    text, or newly written, follows the revision the editor saw, not a later one."""
    now = timezone.now()
    if text.language == SOURCE_LANGUAGE:
        if text.pk:
            before = TopicText.objects.select_for_update().get(pk=text.pk)
            if before.revision != source_revision_seen:
                raise TextChangedMeanwhile
            if any(getattr(before, f).strip() != getattr(text, f).strip() for f in TEXT_FIELDS):
                text.revision = before.revision + 1
                text.revised_at = now
        text.source_revision = text.revision
        text.origin = TopicText.Origin.REVIEWED
    elif reviewed or not text.pk:
        text.source_revision = source_revision_seen
        text.origin = TopicText.Origin.REVIEWED
    if not text.pk:
        text.revised_at = now
    text.updated_by = user
    text.save()
    return text


LOKET_CONTACTS = "loket-contacts"  # the processing activity (processing_log.activities)


@transaction.atomic
def contact_save(contact: MunicipalContact, *, user) -> MunicipalContact:
    """Saving the contact confirms it: the page shows today as its last confirmation. A
    contact's name, e-mail and phone are personal data: the change is logged."""
    action = Entry.Action.UPDATE if contact.pk else Entry.Action.CREATE
    contact.confirmed_at = timezone.now()
    contact.confirmed_by = user
    contact.save()
    processing_log_write(
        processing=processing_by(user, activity=LOKET_CONTACTS, action=action),
        subject_type="municipal-contact",
        subject_ids=[contact.pk],
        object_type="municipal_contact",
    )
    return contact


def contact_confirmed(contact: MunicipalContact, *, user) -> MunicipalContact:
    """The municipality checked its contact and it is still right."""
    contact.confirmed_at = timezone.now()
    contact.confirmed_by = user
    contact.save(update_fields=["confirmed_at", "confirmed_by"])
    return contact

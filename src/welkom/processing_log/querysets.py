"""The queryset for models that hold personal data: reading them writes the processing log.

A personal-data queryset refuses to fetch rows until it is told for which processing it
reads (``.for_processing(processing_by(user, activity=…))``, or ``Processing.by`` with
the organisation the user acts for); then every fetch writes one
log entry per data subject. A list view, an export or an API endpoint cannot forget it.
Counts, other aggregates and grouped counts fetch no personal rows and need no declaration.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Self

from django.db import models


class PersonalDataReadWithoutProcessing(RuntimeError):
    pass


class PersonalDataQuerySet(models.QuerySet):
    subject_type: str = "person"
    subject_field: str = "pk"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._processing = None

    def for_processing(self, processing) -> PersonalDataQuerySet:
        clone = self._chain()
        clone._processing = processing
        return clone

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._processing = self._processing
        return clone

    def _require_processing(self) -> None:
        if self._processing is None:
            raise PersonalDataReadWithoutProcessing(
                f"{self.model.__name__} holds personal data: say for which processing "
                f"you read it with .for_processing(...)."
            )

    def _is_aggregate(self) -> bool:
        """Grouped counts (``.values(...).annotate(Count(...))``) read no one's data."""
        return (
            self._fields is not None
            and bool(self.query.group_by)
            and bool(self.query.annotation_select)
        )

    def _fetch_all(self) -> None:
        if self._result_cache is not None:
            return
        if self._is_aggregate():
            super()._fetch_all()
            return
        self._require_processing()
        super()._fetch_all()
        self._log_read(self._result_cache)

    def iterator(self, chunk_size: int | None = None) -> Iterator[Any]:
        """Streams rows; each chunk is logged before any of its rows is handed out."""
        self._require_processing()
        size = chunk_size or 2000
        chunk = []
        for row in super().iterator(chunk_size=size):
            chunk.append(row)
            if len(chunk) >= size:
                self._log_read(chunk)
                yield from chunk
                chunk = []
        self._log_read(chunk)
        yield from chunk

    def _subject_id(self, row) -> object:
        if isinstance(row, models.Model):
            field = self.subject_field
            return row.pk if field == "pk" else getattr(row, field)
        if isinstance(row, dict):
            return row.get(self.subject_field, row.get("pk", row.get("id")))
        return None

    def _log_read(self, rows) -> None:
        from welkom.processing_log.services import processing_log_write

        if not rows:
            return
        processing_log_write(
            processing=self._processing,
            subject_type=self.subject_type,
            subject_ids=[self._subject_id(row) for row in rows],
            object_type=self.model._meta.model_name,
        )

"""What an import found wrong with a file, and how that reads: one type for every reader
(night lists, locations, monitor figures) and one way to put it into words.

A problem's message is an English msgid with parameters, translated where it is shown
(`problem.text`), so that it can be stored as JSON and read later in another language. The
parameters are plain strings and integers for the same reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext


@dataclass(frozen=True, slots=True)
class Problem:
    row: int | None  # the row as the user sees it (header = 1); None for the whole file
    column: str | None  # the column's canonical name; None for the whole row or file
    message: str  # an English msgid, marked with gettext_noop where it is written
    params: dict = field(default_factory=dict)
    value: str = ""  # what the file had, shortened; a BSN masked

    @property
    def text(self) -> str:
        """The message in the active language, its parameters filled in."""
        message = gettext(self.message)
        return message % self.params if self.params else message

    def as_json(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "params": self.params,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Problem:
        return cls(
            data.get("row"),
            data.get("column"),
            data["message"],
            data.get("params") or {},
            data.get("value", ""),
        )


def problems_as_text(problems: list[Problem]) -> list[dict]:
    """Problems for an answer or a page: row, column, value and the message in words."""
    return [
        {"row": p.row, "column": p.column, "value": p.value, "message": p.text} for p in problems
    ]

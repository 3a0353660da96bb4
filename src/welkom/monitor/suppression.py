"""Small cells: which figures to hide outside a municipality's own view. Pure.

A table here is a set of cells, each an (area, indicator) pair with a value, and the sums
between them: a region is the sum of its municipalities and the province of its regions, for
every count; and within an area, the parts of a breakdown (by registration, by nationality
group, by kind of stay) add up to the persons staying.

- Primary: a count of persons from 1 to 4 is hidden ("<5").
- Secondary: when a shown sum has exactly one hidden part, its smallest other shown part is
  hidden too ("×"), or, when every other part is known to the viewer, the sum itself. A
  breakdown in which one part is the whole is hidden too: it would say something about every
  person in the area. Cells linked to a hidden cell (a rate, location-nights over capacity,
  the parts of a hidden total) are hidden with it. All of this is repeated until nothing
  changes.
- Known cells (the viewer's own municipality) are never hidden, and count as shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

THRESHOLD = 5
PRIMARY = "primary"  # shown as "<5"
SECONDARY = "secondary"  # shown as "×": hidden so that a small count cannot be worked out

Cell = tuple[str, str]  # (area, indicator)


def hidden_cells(
    values: Mapping[Cell, float],
    *,
    counts: Iterable[str],
    sums: Sequence[tuple[Cell, Sequence[Cell]]],
    linked: Mapping[Cell, Sequence[Cell]] = {},
    breakdowns: Sequence[tuple[Cell, Sequence[Cell]]] = (),
    known: set[Cell] = frozenset(),
    threshold: int = THRESHOLD,
) -> dict[Cell, str]:
    """The hidden cells, each PRIMARY or SECONDARY. `counts` are the indicators whose small
    values are hidden; `sums` are (total, parts); `linked` maps a cell to the cells that
    give it away; `breakdowns` are (total, parts) that must not be all in one part."""
    counts = set(counts)
    hidden: dict[Cell, str] = {
        cell: PRIMARY
        for cell, value in values.items()
        if cell[1] in counts and 0 < value < threshold and cell not in known
    }
    for total, parts in breakdowns:
        whole = values.get(total)
        if whole and any(values.get(p) == whole for p in parts):
            for part in parts:
                if part in values and part not in known:
                    hidden.setdefault(part, SECONDARY)
    changed = True
    while changed:
        changed = False
        for cell in list(hidden):
            for other in linked.get(cell, ()):
                if other in values and other not in hidden and other not in known:
                    hidden[other] = SECONDARY
                    changed = True
        for total, parts in sums:
            if total in hidden or total not in values:
                continue
            present = [p for p in parts if p in values]
            if sum(p in hidden for p in present) != 1:
                continue
            candidates = [p for p in present if p not in hidden and p not in known]
            if candidates:
                smallest = min(candidates, key=lambda p: (values[p], p))
                hidden[smallest] = SECONDARY
                changed = True
            elif total not in known:
                hidden[total] = SECONDARY
                changed = True
    return hidden

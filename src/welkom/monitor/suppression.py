"""Small cells: which figures to hide outside a municipality's own view. Pure.

A table here is a set of cells, each an (area, indicator) pair with a value, and the sums
between them: a region is the sum of its municipalities and the province of its regions, for
every count; and within an area, the parts of a breakdown (by registration, by nationality
group, by kind of stay) add up to the persons staying.

- Primary: a count of persons from 1 to 4 is hidden ("<5").
- Secondary: every viewer knows one part of a sum (a municipality its own figure, a provider
  the figure of a place it alone houses). So a shown sum has no hidden part, or at least
  `MIN_HIDDEN_PARTS` (3): with one or two, whoever knows one of them works out the other
  from the sum. Its smallest other shown parts are hidden too ("×"), or, when no other part
  can be, the sum itself. A hidden sum has at least two hidden parts, or it is the sum of
  what is shown. A breakdown in which one part is the whole is hidden too: it would say
  something about every person in the area. Cells linked to a hidden cell (a rate,
  location-nights over capacity, the parts of a hidden total) are hidden with it. All of
  this is repeated until nothing changes.
- Known cells are never hidden, and count as shown. The monitor computes what the public
  sees (nothing known) and shows a municipality its own cells on top of that, so that no
  view gives away what another hides (`selectors.period_table`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

THRESHOLD = 5
MIN_HIDDEN_PARTS = 3  # of a shown sum, when any: a viewer who knows one cannot solve two
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
            if total not in values:
                continue
            present = [p for p in parts if p in values]
            hidden_parts = sum(p in hidden for p in present)
            # A shown sum: none hidden, or MIN_HIDDEN_PARTS; a hidden sum: at least two
            # hidden parts (with none it is the sum of the shown ones, with one it gives
            # that one away to whoever learns the sum elsewhere).
            wanted = 2 if total in hidden else MIN_HIDDEN_PARTS
            if (hidden_parts == 0 and total not in hidden) or hidden_parts >= wanted:
                continue
            candidates = [p for p in present if p not in hidden and p not in known]
            if candidates:
                smallest = min(candidates, key=lambda p: (values[p], p))
                hidden[smallest] = SECONDARY
                changed = True
            elif total not in hidden and total not in known:
                hidden[total] = SECONDARY
                changed = True
    return hidden

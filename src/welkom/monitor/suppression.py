"""Small cells: which figures to hide as "<5" outside a municipality's own view. Pure.

A count of persons below 5 is hidden (primary suppression). So is any figure from which a
hidden one could be worked out (secondary suppression): when a total is shown and exactly
one of its parts is hidden, the smallest other part is hidden too, until no total gives a
hidden part away. Municipalities are the parts of their region, the regions the parts of
the province.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

THRESHOLD = 5


def hidden_areas(
    values: Mapping[str, float | None],
    parts_of: Mapping[str, Sequence[str]],
    *,
    threshold: int = THRESHOLD,
) -> set[str]:
    """The areas whose value must not be shown. `parts_of` maps a total's area to its parts
    (a region to its municipalities, the province to its regions); totals are shown."""
    hidden = {area for area, value in values.items() if value is not None and 0 < value < threshold}
    changed = True
    while changed:
        changed = False
        for total, parts in parts_of.items():
            if total in hidden:
                continue
            shown_parts = [p for p in parts if p in values and p not in hidden]
            hidden_parts = [p for p in parts if p in hidden]
            if len(hidden_parts) == 1 and shown_parts:
                smallest = min(shown_parts, key=lambda p: (values[p] or 0, p))
                hidden.add(smallest)
                changed = True
    return hidden

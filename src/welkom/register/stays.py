"""The shape of a stay (ADR 0010): pure, no database.

A stay is one person at one location for the nights [check_in, end). A stay whose person the
location still lists is *open*: it has no check-out, and it runs until the last night the
location has listed (`Location.listed_through`). Its end is therefore `listed_through + 1`;
a closed stay's end is its check-out. So a night on which nobody arrives or leaves moves
one date on the location and writes no stay at all.

One canonical form, so that the same register is always stored the same way: a stay is open
exactly when its end is its location's `listed_through + 1` and no later stay of the same
person is (a person has at most one open stay, which a database index holds).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def stay_end(check_in: date, check_out: date | None, listed_through: date | None) -> date:
    """The first night after a stay: its check-out, or for an open stay the night after its
    location's last listed night (a single night when the location has listed none)."""
    if check_out is not None:
        return check_out
    if listed_through is None or listed_through < check_in:
        return check_in + ONE_DAY
    return listed_through + ONE_DAY


def open_or_closed(
    stays: Sequence[tuple[int, date, date]], listed_through: dict[int, date | None]
) -> list[date | None]:
    """The check-out to store for each of one person's stays, given as (location id, check-in,
    end): None for the one stay that is open, the end for every other."""
    candidate = None
    for index, (location_id, check_in, end) in enumerate(stays):
        through = listed_through.get(location_id)
        is_candidate = through is not None and end == through + ONE_DAY
        if is_candidate and (candidate is None or check_in > stays[candidate][1]):
            candidate = index
    return [None if index == candidate else end for index, (_l, _i, end) in enumerate(stays)]

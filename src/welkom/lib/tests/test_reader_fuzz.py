"""Every reader of people's files, fed what hypothesis makes (bounded: a few hundred
examples, each in a deadline): no exception but the readers' problems, and Python memory
bounded by the file's size, not its shape. Polars' memory is outside tracemalloc's view;
`test_bounded` measures that path in a process of its own."""

from __future__ import annotations

import tracemalloc
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from welkom.housing.location_files import location_file_read
from welkom.lib.files import Spreadsheet
from welkom.monitor.figures_file import figures_file_read
from welkom.register.list_reader import NIGHT_LIST_COLUMNS, night_list_read
from welkom.register.submissions import submissions_read

TODAY = date(2026, 11, 28)
# Pieces a hostile or broken file is made of: separators, quotes, line breaks, long runs,
# known headers, dates, invisible and right-to-left characters, bytes of other encodings.
_PIECES = st.sampled_from(
    [
        b",",
        b";",
        b"\t",
        b'"',
        b"\n",
        b"\r\n",
        b"\r",
        b" ",
        b"",
        b"," * 3000,
        b"x" * 5000,
        b'"' * 101,
        b"\n" * 50,
        ",".join(NIGHT_LIST_COLUMNS).encode(),
        b"2026-11-02",
        b"31-02-2026",
        b"V1",
        "\u202eŁódź".encode(),
        "Ştefan".encode(),
        "Ştefan".encode("utf-16"),
        b"\x81\x8d\x8f",
        b"\xef\xbb\xbf",
        b"\x00",
        b"PK\x03\x04",
        b"=1+1",
        b"\x1a",
    ]
)
FILES = st.one_of(
    st.binary(max_size=4000),
    st.lists(_PIECES, max_size=60).map(b"".join),
)
# A file may use this much Python memory per byte, plus a fixed amount for the reader's
# own structures (a row is read into cells, problems and checked values).
PER_BYTE, FIXED = 200, 8 * 1024 * 1024


def peak_while(read, data: bytes) -> int:
    tracemalloc.start()
    try:
        read(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class ReaderFuzzTests(TestCase):
    @settings(
        max_examples=150,
        deadline=3000,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=FILES)
    def test_no_file_breaks_a_reader_or_its_memory(self, data: bytes) -> None:
        readers = {
            "spreadsheet": lambda d: list(Spreadsheet(d).rows()),
            "night list": lambda d: night_list_read(d, filename="n.csv", today=TODAY),
            "columnar": lambda d: submissions_read([(d, "n.csv")], today=TODAY),
            "locations": lambda d: location_file_read(d, provider=None),
            "figures": lambda d: figures_file_read(d, areas={"GM0983"}),
        }
        for name, read in readers.items():
            self.assertLess(peak_while(read, data), FIXED + PER_BYTE * len(data), msg=name)

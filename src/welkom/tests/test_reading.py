"""The code reads the same everywhere (docs/architecture.md, "Reading the code"), outside
tests and migrations: no function over 80 lines, for a function that long does several
things and each deserves a name; and no module imports another's private name (a leading
underscore), for then it is not private and should say so."""

from __future__ import annotations

import ast
from unittest import TestCase

from welkom.tests.test_layers import modules

LONGEST = 80


def too_long(source: str, longest: int = LONGEST) -> list[tuple[str, int]]:
    """(name, lines) of every function or method in `source` longer than `longest` lines."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > longest
    ]


def private_imports(source: str) -> list[str]:
    """The private names `source` imports from Welkom modules."""
    return [
        f"{node.module}.{alias.name}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        and (node.level or (node.module or "").startswith("welkom"))
        for alias in node.names
        if alias.name.startswith("_")
    ]


class FunctionLengthTests(TestCase):
    def test_no_function_is_over_80_lines(self) -> None:
        found = [
            f"{module}.{name}: {lines} lines"
            for module, path in modules().items()
            for name, lines in too_long(path.read_text())
        ]
        self.assertEqual(found, [], "\n".join(["functions over 80 lines:", *found]))

    def test_the_check_counts_nested_functions_and_methods(self) -> None:
        source = (
            "class A:\n"
            "    def method(self):\n"
            "        one = 1\n"
            "        return one\n"
            "\n"
            "def outer():\n"
            "    def inner():\n"
            "        one = 1\n"
            "        return one\n"
            "    return inner\n"
        )
        self.assertCountEqual(
            too_long(source, longest=2), [("method", 3), ("outer", 5), ("inner", 3)]
        )
        self.assertEqual(too_long(source, longest=3), [("outer", 5)])


class PrivateNameTests(TestCase):
    def test_no_module_imports_a_private_name_of_another(self) -> None:
        found = [
            f"{module} imports {name}"
            for module, path in modules().items()
            for name in private_imports(path.read_text())
        ]
        self.assertEqual(found, [], "\n".join(["private names imported:", *found]))

    def test_the_check_sees_private_names_and_lets_public_ones_be(self) -> None:
        source = (
            "from welkom.register.list_reader import _Builder, night_list_read\n"
            "from .stays import _private\n"
            "from welkom.lib.dates import long_date as _long_date\n"
            "from os import _exit\n"
        )
        self.assertEqual(
            private_imports(source),
            ["welkom.register.list_reader._Builder", "stays._private"],
        )

"""The layer contract of docs/architecture.md, enforced: imports between apps only go down.

Every module of `src/welkom` outside tests and migrations is read (imports inside functions
included) and each import of another Welkom module is checked against `LAYERS`. Run
`python -m welkom.tests.test_layers` for the report: every arrow between apps, with the
layers they sit in.
"""

from __future__ import annotations

import ast
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from unittest import TestCase

PACKAGE = Path(__file__).resolve().parents[1]

# Bottom first. A layer holds units; a unit is an app, or the part of one that the prefixes
# name. A module belongs to the unit with the longest prefix that names it; it may import
# its own unit and anything in a lower layer, nothing beside it or above it.
LAYERS: list[list[tuple[str, ...]]] = [
    [("welkom.env",), ("welkom.lib",)],
    [("welkom.places",)],
    # The processing log's write path: what every app calls when it touches personal data.
    [("welkom.processing_log",)],
    [("welkom.organisations",)],
    # The log's search pages scope entries by membership, so they sit above organisations.
    [
        (
            "welkom.processing_log.selectors",
            "welkom.processing_log.forms",
            "welkom.processing_log.views",
            "welkom.processing_log.urls",
        ),
        ("welkom.accounts",),
    ],
    [("welkom.housing",)],
    [("welkom.register",)],
    [("welkom.loket",), ("welkom.work",)],
    [("welkom.monitor",)],
    # The nightly jobs run the commands of the apps below.
    [("welkom.jobs",)],
    [("welkom.site",)],
    [("welkom.demo",)],
    [("welkom.settings", "welkom.urls", "welkom.wsgi", "welkom.__main__", "welkom.testing")],
]

# Pure rules: dated, testable without a database. They import no Django and no module
# that does, only the standard library and other pure modules.
PURE = {
    "welkom.places.rules",
    "welkom.organisations.rules",
    "welkom.housing.rules",
    "welkom.register.rules",
    "welkom.register.stays",
    "welkom.loket.rules",
    "welkom.work.rules",
    "welkom.monitor.suppression",
}
PURE_MAY_IMPORT = {"django.utils.translation"}  # gettext_noop marks text; it needs no setup

# Monitor only reads the register's figures; nothing builds on it.
NOBODY_IMPORTS = "welkom.monitor"


def _unit(module: str) -> tuple[int, str]:
    """(layer, unit) of a module: the index of its layer and its unit's first prefix."""
    best: tuple[int, str, int] | None = None
    for index, units in enumerate(LAYERS):
        for unit in units:
            for prefix in unit:
                named = module == prefix or module.startswith(prefix + ".")
                if named and (best is None or len(prefix) > best[2]):
                    best = (index, unit[0], len(prefix))
    if best is None:
        raise LookupError(f"{module} is in no layer of LAYERS")
    return best[0], best[1]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The Welkom modules this one imports, at the top or inside a function. `from a import
    b` counts as an import of `a.b` where that is a module, else of `a`."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {name for name in found if name in known and name != "welkom"}


def _other_imports(path: Path) -> set[str]:
    """Every imported name that is not Welkom's, for the pure-rules check."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module)
    return {name for name in found if not name.startswith("welkom")}


def violations() -> list[str]:
    known = modules()
    found = []
    for module, path in known.items():
        if module == "welkom":
            continue
        layer, unit = _unit(module)
        targets = imports_of(module, path, set(known))
        for target in sorted(targets):
            target_layer, target_unit = _unit(target)
            if target_unit != unit and target_layer >= layer:
                found.append(f"{module} (layer {layer}) imports {target} (layer {target_layer})")
            builds_on_monitor = target == NOBODY_IMPORTS or target.startswith(NOBODY_IMPORTS + ".")
            if builds_on_monitor and _unit(module)[1] != NOBODY_IMPORTS:
                found.append(f"{module} imports {target}: nothing builds on the monitor")
        if module in PURE:
            found += [f"{module} is pure rules but imports {t}" for t in sorted(targets - PURE)]
            found += [
                f"{module} is pure rules but imports {name}"
                for name in sorted(_other_imports(path))
                if name.split(".")[0] == "django" and name not in PURE_MAY_IMPORT
            ]
    return found


def arrows() -> dict[tuple[str, str], set[str]]:
    """(from unit, to unit) → the importing modules, for every import between units."""
    known = modules()
    result: dict[tuple[str, str], set[str]] = defaultdict(set)
    for module, path in known.items():
        if module == "welkom":
            continue
        unit = _unit(module)[1]
        for target in imports_of(module, path, set(known)):
            target_unit = _unit(target)[1]
            if target_unit != unit:
                result[(unit, target_unit)].add(module)
    return result


class LayerContractTests(TestCase):
    def test_every_module_has_a_layer(self) -> None:
        for module in modules():
            if module != "welkom":
                with self.subTest(module=module):
                    _unit(module)

    def test_imports_only_go_down(self) -> None:
        problems = violations()
        self.assertEqual(problems, [], "\n".join(["imports against the layers:", *problems]))

    def test_the_check_reads_every_kind_of_import(self) -> None:
        """The contract test itself: relative imports and imports inside functions count."""
        source = (
            "from .. import register\n"
            "from ..lib.bulk import rows_insert\n"
            "def later():\n"
            "    from welkom.monitor import selectors\n"
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "example.py"
            path.write_text(source)
            names = imports_of("welkom.housing.example", path, set(modules()))
        self.assertEqual(names, {"welkom.register", "welkom.lib.bulk", "welkom.monitor.selectors"})
        self.assertGreater(_unit("welkom.register.models")[0], _unit("welkom.housing.models")[0])
        self.assertGreater(
            _unit("welkom.processing_log.views")[0], _unit("welkom.organisations.models")[0]
        )
        self.assertLess(
            _unit("welkom.processing_log.services")[0], _unit("welkom.organisations.models")[0]
        )


def main() -> None:
    for (source, target), importers in sorted(arrows().items()):
        print(
            f"{source} (layer {_unit(source)[0]}) -> {target} (layer {_unit(target)[0]}):"
            f" {', '.join(sorted(importers))}"
        )
    problems = violations()
    print("\n".join(problems) if problems else "every arrow points down")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

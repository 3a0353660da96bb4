"""Loads the reference data in `data/` into the database; safe to run again."""

from __future__ import annotations

import csv
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# NUTS-3 (COROP) codes of Limburg's regions.
REGIONS = {
    "Noord-Limburg": "NL421",
    "Midden-Limburg": "NL422",
    "Zuid-Limburg": "NL423",
}


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_load(*, region_model, municipality_model, postcode_model) -> dict[str, int]:
    """Create or update regions, municipalities, boundaries and postcodes; counts per kind.

    Takes the model classes so that a data migration can pass its historical models.
    """
    regions = {}
    for name, code in REGIONS.items():
        regions[name], _ = region_model.objects.update_or_create(code=code, defaults={"name": name})

    with (DATA_DIR / "limburg-municipalities.geojson").open(encoding="utf-8") as handle:
        boundaries = {
            feature["properties"]["code"]: feature["geometry"]
            for feature in json.load(handle)["features"]
        }
    municipalities = {}
    for row in _read_csv("limburg-municipalities.csv"):
        municipalities[row["code"]], _ = municipality_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "region": regions[row["region"]],
                "population": int(row["population"]),
                "population_year": int(row["population_year"]),
                "boundary": boundaries[row["code"]],
            },
        )

    postcodes = _read_csv("limburg-postcodes.csv")
    for row in postcodes:
        postcode_model.objects.update_or_create(
            pc4=row["pc4"],
            defaults={
                "municipality": municipalities[row["municipality_code"]],
                "addresses": int(row["addresses_in_municipality"]),
            },
        )
    listed = {row["pc4"] for row in postcodes}
    postcode_model.objects.exclude(pc4__in=listed).delete()
    return {
        "regions": len(regions),
        "municipalities": len(municipalities),
        "postcodes": len(listed),
    }

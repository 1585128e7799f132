"""What the dbt manifest says about the project's tests (no Dagster imports)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def catalogue_tests(manifest: Mapping[str, Any]) -> dict[str, str]:
    """unique_id → name of the data tests that read only seeds, sorted by name: they test the
    catalogues, which are code (they change only with a commit), not the data of a refresh. A test
    reading any model or source (e.g. a relationship from a staging model to a seed) is not one."""
    found = {}
    for unique_id, node in manifest.get("nodes", {}).items():
        parents = node.get("depends_on", {}).get("nodes", [])
        if node.get("resource_type") == "test" and parents and all(p.startswith("seed.") for p in parents):
            found[unique_id] = node["name"]
    return dict(sorted(found.items(), key=lambda item: item[1]))

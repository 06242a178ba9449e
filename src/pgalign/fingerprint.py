"""A hash of a normalized catalog: equal for equal schemas, blind to OIDs and creation order."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import weakref
from collections.abc import Mapping
from typing import Any

from pgalign.catalog.model import Catalog

_computed: dict[int, str] = {}  # by id(catalog), while the catalog lives


def fingerprint(catalog: Catalog) -> str:
    """16 hex digits of SHA-256 over every object in key order.

    Only the fields that take part in comparison count (owners do not, as in `diff`), so two
    catalogs have the same fingerprint exactly when `diff` finds nothing between them.
    Computed once per catalog: status asks for the same ones several times.
    """
    known = _computed.get(id(catalog))
    if known is None:
        known = _compute(catalog)
        _computed[id(catalog)] = known
        weakref.finalize(catalog, _computed.pop, id(catalog), None)
    return known


def _compute(catalog: Catalog) -> str:
    canonical = [[list(key), _canonical(catalog.objects[key])] for key in sorted(catalog.objects)]
    data = json.dumps(canonical, separators=(",", ":"), sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _canonical(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canonical(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.compare
        }
    if isinstance(value, Mapping):
        return sorted([_canonical(k), _canonical(v)] for k, v in value.items())
    if isinstance(value, (frozenset, set)):
        return sorted((_canonical(item) for item in value), key=repr)
    if isinstance(value, (tuple, list)):
        return [_canonical(item) for item in value]
    return value

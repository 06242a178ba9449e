"""A hash of a normalized catalog: equal for equal schemas, blind to OIDs and creation order."""

from __future__ import annotations

import dataclasses
import hashlib
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
        from pgalign.catalog import cache

        key = cache.key_of(catalog)
        known = cache.load_fingerprint(key) if key is not None else None
        if known is None:
            known = _compute(catalog)
            if key is not None:
                cache.store_fingerprint(key, known)
        _computed[id(catalog)] = known
        weakref.finalize(catalog, _computed.pop, id(catalog), None)
    return known


def _compute(catalog: Catalog) -> str:
    digest = hashlib.sha256()
    for key in sorted(catalog.objects):
        # repr of nested tuples of str, int, bool and None is exact and the same in every
        # process (unlike iterating a frozenset of strings, whose order hashing decides)
        digest.update(repr((key, _canonical(catalog.objects[key]))).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:16]


_COMPARED: dict[type, tuple[str, ...]] = {}  # the fields of each model class that compare
_PLAIN = (str, int, bool, type(None))


def _canonical(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is tuple or kind is list:
        return tuple(_canonical(item) for item in value)
    if kind is frozenset or kind is set:
        return tuple(sorted((_canonical(item) for item in value), key=repr))
    if isinstance(value, Mapping):
        return tuple(sorted(((_canonical(k), _canonical(v)) for k, v in value.items()), key=repr))
    names = _COMPARED.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(value):
            return str(value)
        names = _COMPARED[kind] = tuple(f.name for f in dataclasses.fields(value) if f.compare)
    return (kind.__name__, *(_canonical(getattr(value, name)) for name in names))

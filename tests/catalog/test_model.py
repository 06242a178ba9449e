"""The model's shortcuts for big schemas behave as the plain dataclass does."""

from __future__ import annotations

import pickle
from dataclasses import astuple, fields, replace

from hypothesis import given
from hypothesis import strategies as st

from pgalign.catalog.model import NO_PRIVILEGES, Column, ColumnSettings, lean_column

maybe_text = st.none() | st.sampled_from(["", "x", "'a'::text", "nextval('s'::regclass)"])
privileges = st.sampled_from(
    [NO_PRIVILEGES, frozenset({("PUBLIC", "SELECT", False)}), frozenset({("r", "UPDATE", True)})]
)
column_values = st.tuples(
    st.sampled_from(["a", '"Odd"']),
    st.integers(1, 1600),
    st.sampled_from(["integer", "text", "public.mood"]),
    st.booleans(),
    st.sampled_from(["", "v", "n", "vn"]),
    maybe_text,
    st.sampled_from(["", "a", "d"]),
    st.none() | st.just((1, 1, 2147483647, 1, 1, False)),
    st.sampled_from(["", "s", "v"]),
    maybe_text,
    st.none() | st.just(ColumnSettings("ex", "pglz", 5, ("n_distinct=2",))),
    st.booleans(),
    maybe_text,
    privileges,
    st.sampled_from([(), (("column_name", "'A'"),)]),  # a foreign table's column's options
)


@given(column_values)
def test_a_lean_column_is_the_column_init_makes(values: tuple[object, ...]) -> None:
    lean, full = lean_column(*values), Column(*values)  # type: ignore[arg-type]
    assert astuple(lean) == astuple(full)
    assert tuple(getattr(lean, field.name) for field in fields(Column)) == values
    assert lean == full and hash(lean) == hash(full)
    assert pickle.loads(pickle.dumps(lean)) == full
    assert replace(lean, type="bigint") == replace(full, type="bigint")
    for field in fields(Column):
        assert getattr(lean, field.name) == getattr(full, field.name)

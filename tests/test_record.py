"""@record classes behave as @dataclass(frozen=True) ones: ==, hash, repr, frozen, replace."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pgalign.record import Record, record


@record
class Point(Record):
    x: int
    label: str | None
    seen: int = field(compare=False, default=0)


@dataclass(frozen=True)
class Reference:
    x: int
    label: str | None
    seen: int = field(compare=False, default=0)


@record
class Nothing(Record):
    seen: int = field(compare=False, default=0)


values = st.tuples(st.integers(-3, 3), st.one_of(st.none(), st.sampled_from(["a", "b"])))
seen = st.integers(0, 2)


@given(values, seen, values, seen)
def test_equality_and_hash_follow_the_compared_fields(
    one: tuple[int, str | None], s1: int, two: tuple[int, str | None], s2: int
) -> None:
    a, b = Point(*one, seen=s1), Point(*two, seen=s2)
    ra, rb = Reference(*one, seen=s1), Reference(*two, seen=s2)
    assert (a == b) is (ra == rb)
    assert (a != b) is (ra != rb)
    if a == b:
        assert hash(a) == hash(b)
    assert repr(a) == repr(ra).replace("Reference", "Point")
    assert pickle.loads(pickle.dumps(a)) == a
    assert dataclasses.replace(a, x=one[0] + 1) != a


def test_other_classes_never_equal_and_nothing_compared_is_all_equal() -> None:
    assert Point(1, None) != Reference(1, None)
    assert Point(1, None).__eq__(Reference(1, None)) is NotImplemented
    assert Nothing(1) == Nothing(2) and hash(Nothing(1)) == hash(Nothing(2))


def test_frozen() -> None:
    point = Point(1, "a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.label  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(point)] == ["x", "label", "seen"]

"""Frozen dataclasses whose ==, hash and repr are shared rather than generated.

dataclasses writes each method as source and compiles it, about 0.2 ms a method: six per
frozen class, some 40 ms of every run's start for the model and the differ. Here only
__init__ and the frozen __setattr__/__delattr__ are still generated; ==, hash and repr
compare and show the same fields, in the same way, through one attrgetter per class.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, ClassVar, TypeVar, cast, dataclass_transform

R = TypeVar("R", bound="Record")


class Record:
    """Base of @record classes: what dataclass(frozen=True) would generate for each."""

    __slots__ = ()
    _compared: ClassVar[Callable[[Any], Any]]  # the fields that compare, as one value
    _shown: ClassVar[tuple[str, ...]]

    def __eq__(self, other: object) -> bool:
        cls = self.__class__
        if other.__class__ is cls:
            same: bool = cls._compared(self) == cls._compared(other)
            return same
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.__class__._compared(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{self.__class__.__qualname__}({shown})"


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[R]) -> type[R]:
    """`@dataclass(frozen=True)` for a subclass of Record, at a third of its import cost."""
    made = dataclass(frozen=True, eq=False, repr=False)(cls)
    described = fields(cast(Any, made))
    compared = [f.name for f in described if f.compare]
    made._compared = attrgetter(*compared) if compared else _nothing
    made._shown = tuple(f.name for f in described if f.repr)
    return made


def _nothing(_obj: object) -> tuple[()]:
    return ()

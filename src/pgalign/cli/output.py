"""Consoles: colour only on a terminal and never with NO_COLOR; errors to stderr.

`out` and `err` are rich consoles made on first use: rich takes a tenth of a second to
import, and JSON or plain SQL output (`write`) does without it.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    out: Console
    err: Console


@cache
def _consoles() -> dict[str, Console]:
    from rich.console import Console

    no_color = bool(os.environ.get("NO_COLOR"))
    return {
        "out": Console(no_color=no_color, highlight=False, soft_wrap=True),
        "err": Console(stderr=True, no_color=no_color, highlight=False, soft_wrap=True),
    }


def __getattr__(name: str) -> Console:
    if name in ("out", "err"):
        return _consoles()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def warn(message: str) -> None:
    from rich.markup import escape

    _consoles()["err"].print(f"[yellow]warning:[/yellow] {escape(message)}", markup=True)


def write(text: str, *, stderr: bool = False) -> None:
    """Text as it is: no markup, emoji codes, tab expansion or colour (SQL must stay exact)."""
    stream = sys.stderr if stderr else sys.stdout
    stream.write(text)
    stream.flush()


def print_json(data: Any) -> None:
    write(json.dumps(data, indent=2, sort_keys=False) + "\n")


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()

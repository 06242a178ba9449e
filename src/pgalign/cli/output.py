"""Consoles: colour only on a terminal and never with NO_COLOR; errors to stderr."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape

_no_color = bool(os.environ.get("NO_COLOR"))
out = Console(no_color=_no_color, highlight=False, soft_wrap=True)
err = Console(stderr=True, no_color=_no_color, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/yellow] {escape(message)}", markup=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False) + "\n")
    sys.stdout.flush()


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()

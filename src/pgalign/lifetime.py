"""What kind of process pgalign runs in, for the few things that depend on it."""

from __future__ import annotations

from collections.abc import Callable

# Set by the console entry point, whose process ends as soon as its command does. Library
# callers and tests, which run commands in-process, leave it False.
SHORT_LIVED = False

_last_steps: list[Callable[[], None]] = []


def after_command(step: Callable[[], None]) -> None:
    """Run `step` (once) when the console command is done and its output is out."""
    if step not in _last_steps:
        _last_steps.append(step)


def finish() -> None:
    """The steps left for the end, in the order they were asked for."""
    while _last_steps:
        _last_steps.pop(0)()

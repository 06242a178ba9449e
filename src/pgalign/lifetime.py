"""What kind of process pgalign runs in, for the few things that depend on it."""

from __future__ import annotations

from collections.abc import Callable

# Set by the console entry point, whose process ends as soon as its command does. Library
# callers and tests, which run commands in-process, leave it False.
SHORT_LIVED = False

# In the order they were asked for; a dict, so that two threads asking for one step at
# once (both sides of a diff storing their catalogs) still get it run once.
_last_steps: dict[Callable[[], None], None] = {}


def after_command(step: Callable[[], None]) -> None:
    """Run `step` (once) when the console command is done and its output is out."""
    _last_steps.setdefault(step, None)


def finish() -> None:
    """The steps left for the end, in the order they were asked for."""
    while _last_steps:
        step = next(iter(_last_steps))
        del _last_steps[step]
        step()

"""Waiting for what another task or process does: until a condition holds, within a deadline.

A test that sleeps a guessed while and then looks is slow when the guess is generous and flaky
when the machine is slower than the guess. :func:`until` looks as often as is cheap, returns
the moment the condition holds, and fails naming what never happened.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

#: Pause between two looks at a condition.
EVERY = 0.02


async def until(
    condition: Callable[[], bool | Awaitable[bool]], what: str, *, within: float = 10.0
) -> None:
    """Return once ``condition()`` (a function, or a coroutine function) is true; fail with
    ``what`` in the message if it is still false after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        held = condition()
        if inspect.isawaitable(held):
            held = await held
        if held:
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {within} s for {what}")
        await asyncio.sleep(EVERY)

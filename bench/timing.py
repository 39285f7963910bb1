"""Timing wrappers for the bench's child processes: the wall and CPU time of named stages.

A :class:`StageClock` replaces a function (a module attribute or a class attribute) by a wrapper
that adds the call's wall time, the process's CPU time and a call count to a named total, and
optionally records the call as an event (name, start, end in epoch seconds) so the parent's memory
samples can be attributed to stages. Wrapping only adds a few microseconds per call; it changes no
behaviour. Nested stages are fine (their totals overlap).
"""
from __future__ import annotations

import functools
import time
from collections import defaultdict
from typing import Any, Callable, Iterator


class StageClock:
    """Named totals of wall seconds, CPU seconds (this process, all threads) and calls."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.events: list[tuple[str, float, float]] = []

    def add(self, name: str, wall: float, cpu: float, started_epoch: float | None = None) -> None:
        """Add one call's times to ``name`` (and an event when ``started_epoch`` is given)."""
        self.wall[name] += wall
        self.cpu[name] += cpu
        self.calls[name] += 1
        if started_epoch is not None:
            self.events.append((name, started_epoch, started_epoch + wall))

    def wrap(self, owner: Any, attribute: str, name: str, events: bool = False) -> None:
        """Time every call of ``owner.attribute`` as stage ``name``."""
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            epoch, t0, c0 = time.time(), time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - t0, time.process_time() - c0, epoch if events else None)

        setattr(owner, attribute, timed)

    def wrap_iterator(self, owner: Any, attribute: str, name: str, events: bool = False) -> None:
        """Time the calls of ``owner.attribute`` and every step of the iterator it returns."""
        original: Callable[..., Iterator] = getattr(owner, attribute)
        clock = self

        @functools.wraps(original)
        def timed(*args, **kwargs):
            return _TimedIterator(clock, name, events, original(*args, **kwargs))

        setattr(owner, attribute, timed)

    def totals(self) -> dict[str, dict[str, float]]:
        """``{stage: {"wall_s", "cpu_s", "calls"}}``."""
        return {name: {"wall_s": round(self.wall[name], 6), "cpu_s": round(self.cpu[name], 6),
                       "calls": self.calls[name]} for name in self.wall}


class _TimedIterator:
    """An iterator whose ``next`` steps are timed as one stage."""

    def __init__(self, clock: StageClock, name: str, events: bool, inner: Iterator):
        self.clock, self.name, self.events, self.inner = clock, name, events, iter(inner)

    def __iter__(self) -> "_TimedIterator":
        return self

    def __next__(self):
        epoch, t0, c0 = time.time(), time.perf_counter(), time.process_time()
        try:
            return next(self.inner)
        finally:
            self.clock.add(self.name, time.perf_counter() - t0, time.process_time() - c0,
                           epoch if self.events else None)

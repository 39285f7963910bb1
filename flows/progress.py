"""How far a run is, told by the flow and shown by whoever runs it.

The flow reports through :func:`current_progress` and never knows where it goes::

    progress = current_progress()
    progress.files_found(len(found.files))   # after discovery: the total is known
    progress.batch_done(units)               # after each batch: its RawUnits (or anything with .source_uri)
    progress.stage("validating")             # a step after the batches, shown as the bar's label
    progress.finished()                      # the run's work is over; the display goes away

The default is :class:`Progress`, which shows nothing (deployments, tests, the Python API). The
command line installs one with :func:`showing`: a rich bar on a terminal (:class:`BarProgress`), plain
log lines otherwise (:class:`LineProgress`), nothing with ``-v`` (Prefect's own lines say it all).
"""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import IO, Iterable, Iterator, Protocol


class HasSource(Protocol):
    """An input unit: ``source_uri`` is its file, plus ``#L<n>``/``#R<n>`` for a line or record."""

    source_uri: str


class Progress:
    """Counts a run's files and units; shows nothing (subclasses show it)."""

    def __init__(self) -> None:
        self.files_total: int | None = None
        self.files: set[str] = set()
        self.units = 0
        self.started = time.monotonic()

    def files_found(self, n_files: int) -> None:
        """Discovery found ``n_files`` input files; reading starts (the rate counts from here)."""
        self.files_total, self.started = n_files, time.monotonic()
        self.show()

    def batch_done(self, units: Iterable[HasSource]) -> None:
        """A batch of input units was staged."""
        for unit in units:
            self.units += 1
            self.files.add(unit.source_uri.split("#", 1)[0])
        self.show()

    def stage(self, name: str) -> None:
        """The run moved on to a step after the batches (entities, validation, publishing...)."""
        self.show(name)

    def finished(self) -> None:
        """The run's work is over."""

    @property
    def files_done(self) -> int:
        """Files whose units have started arriving (a JSONL file split over batches counts once)."""
        return len(self.files)

    @property
    def rate(self) -> float:
        """Units per second since reading began."""
        return self.units / max(time.monotonic() - self.started, 1e-6)

    def show(self, stage: str | None = None) -> None:
        """Display the current state (nothing here)."""


class LineProgress(Progress):
    """One plain line per event, for logs and pipes: no colour, no cursor movement."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__()
        self.stream = stream or sys.stderr

    def files_found(self, n_files: int) -> None:
        """Say how many files there are."""
        self.files_total, self.started = n_files, time.monotonic()
        self._line(f"found {n_files} input file(s)")

    def batch_done(self, units: Iterable[HasSource]) -> None:
        """Say how far the batches are."""
        before = self.units
        super().batch_done(units)
        total = "?" if self.files_total is None else self.files_total
        self._line(f"batch: {self.units - before} unit(s); {self.units} so far from {self.files_done}/{total}"
                   f" file(s), {self.rate:.1f} units/s")

    def stage(self, name: str) -> None:
        """Name the step."""
        self._line(name)

    def _line(self, text: str) -> None:
        """Write one timestamped line and flush it (a pipe's reader sees it at once)."""
        self.stream.write(f"{time.strftime('%H:%M:%S')} {text}\n")
        self.stream.flush()


class BarProgress(Progress):
    """A rich progress bar on the terminal: files done of the total, units, rate, time left."""

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, SpinnerColumn,
                                   TextColumn, TimeElapsedColumn, TimeRemainingColumn)

        super().__init__()
        self.bar = RichProgress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("files · {task.fields[units]} units · {task.fields[rate]:.1f}/s"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=console or Console(stderr=True), transient=True, redirect_stdout=False, redirect_stderr=False)
        self.task = self.bar.add_task("starting", total=None, units=0, rate=0.0)
        self.bar.start()

    def show(self, stage: str | None = None) -> None:
        """Move the bar to the current counts; ``stage`` names the step after the batches."""
        description = stage or ("reading" if self.files_total is None else "ingesting")
        self.bar.update(self.task, description=description, total=self.files_total, completed=self.files_done,
                        units=self.units, rate=self.rate)

    def finished(self) -> None:
        """Take the bar off the screen (idempotent)."""
        self.bar.stop()


_NOTHING = Progress()
_current: Progress = _NOTHING


def current_progress() -> Progress:
    """The progress display installed for this process (one that shows nothing by default)."""
    return _current


def for_console(verbose: bool = False, console=None) -> Progress:
    """The display the command line wants: nothing with ``verbose``, a bar on a terminal, else lines."""
    from rich.console import Console

    console = console or Console(stderr=True)
    if verbose:
        return Progress()
    if console.is_terminal and not console.is_dumb_terminal:
        return BarProgress(console)
    return LineProgress(console.file)


@contextmanager
def showing(progress: Progress | None) -> Iterator[Progress]:
    """Install ``progress`` for the duration (None keeps the current one), then finish it, so
    whatever is printed next comes after the display."""
    global _current
    if progress is None:
        yield _current
        return
    previous, _current = _current, progress
    try:
        yield progress
    finally:
        _current = previous
        progress.finished()

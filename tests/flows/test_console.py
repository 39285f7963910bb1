"""What ``newsetl ingest`` prints: plain progress lines when output is not a terminal, a progress
bar on a terminal, Prefect's flow and task lines only with ``-v``, the summary always last, and
never a traceback, a warning or Prefect's telemetry notice."""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time

import pytest

from cli_process import NEWSETL, RUN_SECONDS, Result, hermetic_env, newsetl, summary_tail
from conftest import ROOT, SAMPLES

PREFECT_NOISE = ("Finished in state", "Beginning flow run", "Task run", "Flow run", "temporary server",
                 "View at http")
NEVER = ("Traceback", "Warning:", "WARNING", "telemetry", "DO_NOT_TRACK", "Error flushing")


@pytest.fixture(scope="module")
def console_runs(tmp_path_factory):
    """A first ingest of the samples on a new data folder, a rerun with ``-v``, then a rerun on a
    terminal: (environment, data folder, results by name)."""
    root = tmp_path_factory.mktemp("console")
    env, data = hermetic_env(root / "cache"), root / "data"
    results = {"first": newsetl(env, "ingest", str(SAMPLES), "--data-dir", str(data))}
    results["verbose"] = newsetl(env, "ingest", str(SAMPLES), "--data-dir", str(data), "-v")
    results["terminal"] = on_terminal(env, "ingest", str(SAMPLES), "--data-dir", str(data))
    return env, data, results


def on_terminal(env: dict[str, str], *args: str) -> Result:
    """Run ``newsetl <args>`` with stdout and stderr on a pseudo-terminal; returns what it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([*NEWSETL, *args], cwd=ROOT, env={**env, "TERM": "xterm-256color"},
                               stdin=subprocess.DEVNULL, stdout=follower, stderr=follower)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        try:
            chunk = os.read(leader, 65536) if ready else b""
        except OSError:  # the terminal closed: the command has exited
            break
        if ready and not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    code = process.wait(timeout=30)
    return Result(code, b"".join(chunks).decode("utf-8", errors="replace"))


def assert_quiet(result: Result) -> None:
    """No traceback, warning, telemetry notice or flushing error anywhere in the output."""
    for text in NEVER:
        assert text not in result.output, f"{text!r} in:\n{result.output}"


def test_plain_output_shows_progress_lines_and_ends_with_the_summary(console_runs):
    _, data, results = console_runs
    first = results["first"]
    assert first.code == 0, first.output
    assert_quiet(first)
    assert "\x1b[" not in first.output, "escape sequences in output that is not a terminal"
    assert any(re.search(r"found 6 input file\(s\)$", line) for line in first.lines), first.output
    assert any(re.search(r"batch: 6 unit\(s\); 6 so far from \d/6 file\(s\), [\d.]+ units/s$", line)
               for line in first.lines), first.output
    for noise in PREFECT_NOISE:
        assert noise not in first.output, f"Prefect's {noise!r} without -v:\n{first.output}"
    tail = summary_tail(first.lines)
    assert tail[0].endswith("new 6 + unchanged 0 + updated 0 + duplicate 0 + quarantined 0")
    assert tail[-1].startswith("data docs: ") and str(data) in tail[-1]


def test_verbose_shows_prefects_lines_and_still_ends_with_the_summary(console_runs):
    _, _, results = console_runs
    verbose = results["verbose"]
    assert verbose.code == 0, verbose.output
    assert_quiet(verbose)
    assert re.search(r"Task run 'discover-\w+' - Finished in state Completed\(\)", verbose.output), verbose.output
    assert "Beginning flow run" in verbose.output
    assert not any(line.endswith("found 6 input file(s)") for line in verbose.lines), "progress lines with -v"
    tail = summary_tail(verbose.lines)
    assert tail[0].endswith("new 0 + unchanged 6 + updated 0 + duplicate 0 + quarantined 0")


def test_terminal_shows_a_progress_bar_then_the_summary(console_runs):
    _, _, results = console_runs
    terminal = results["terminal"]
    assert terminal.code == 0, terminal.output
    assert_quiet(terminal)
    text = "\n".join(terminal.lines)
    assert re.search(r"\d/6 files · \d+ units · [\d.]+/s", text), terminal.output
    for noise in PREFECT_NOISE:
        assert noise not in terminal.output
    assert not any(line.endswith("found 6 input file(s)") for line in terminal.lines), "plain lines on a terminal"
    # The bar is redrawn in place and erased: the summary comes after its last frame.
    assert text.rindex("units · ") < text.rindex("run ")
    summary_tail(terminal.lines)

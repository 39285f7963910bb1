"""Running the real ``newsetl`` command line in a child process, as a user's shell would.

Every child gets a hermetic environment: no inherited ``PREFECT_*``/``NEWSETL_*``/``DO_NOT_TRACK``
(so what newsetl sets itself is what is tested), unbuffered output (so the order of stdout and
stderr lines in one pipe is the order they were written), and a per-session template cache.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

NEWSETL = [sys.executable, "-m", "newsetl"]
RUN_SECONDS = 300
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
SUMMARY_HEAD = re.compile(r"^run [0-9a-f]{16}: seen \d+ = new \d+")
SUMMARY_LINE = re.compile(r"^(validation|warning|note|warehouse|report|data docs): ")


@dataclass
class Result:
    """A finished command: its exit code and its output, stdout and stderr interleaved."""

    code: int
    output: str

    @property
    def lines(self) -> list[str]:
        """The non-empty output lines, escape sequences removed."""
        return [line for line in ANSI.sub("", self.output).splitlines() if line.strip()]


def hermetic_env(cache: Path, **extra: str) -> dict[str, str]:
    """The environment of a child: the caller's, minus Prefect's, newsetl's and telemetry settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_", "NEWSETL_")) and k not in ("DO_NOT_TRACK", "FORCE_COLOR")}
    env.update(NEWSETL_CACHE_DIR=str(cache), PYTHONUNBUFFERED="1", COLUMNS="200", **extra)
    return env


def newsetl(env: dict[str, str], *args: str, timeout: float = RUN_SECONDS) -> Result:
    """Run ``newsetl <args>`` from the project folder with output to a pipe (not a terminal)."""
    done = subprocess.run([*NEWSETL, *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout, check=False)
    return Result(done.returncode, done.stdout.decode("utf-8", errors="replace"))


def summary_tail(lines: list[str]) -> list[str]:
    """The lines from the last summary head on; asserts that only summary lines follow it."""
    heads = [i for i, line in enumerate(lines) if SUMMARY_HEAD.match(line)]
    assert heads, "no summary line:\n" + "\n".join(lines)
    tail = lines[heads[-1]:]
    strays = [line for line in tail[1:] if not SUMMARY_LINE.match(line)]
    assert not strays, f"lines after the summary: {strays}"
    return tail

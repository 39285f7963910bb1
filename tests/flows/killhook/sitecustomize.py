"""Test-only hook, put on PYTHONPATH by the crash and lock tests (never part of the product).

``NEWSETL_TEST_KILL`` holds JSON ``{"module", "function", "when", "call", "once"}``: when
``module`` is imported, its ``function`` is wrapped so that its ``call``-th call in this process
(``when`` = before | after it runs) ends the process with SIGKILL. ``once`` (optional) names a
marker file: only the first process to create it dies, so one worker of a pool is killed, not all.
With ``"pause": [ready_file, go_file]`` the process is not killed: it creates ``ready_file`` and
waits (up to 120 s) for ``go_file`` to exist, so a test can act at that precise point.
"""
import functools
import importlib.abc
import importlib.util
import json
import os
import signal
import sys
import time

_SPEC = json.loads(os.environ.get("NEWSETL_TEST_KILL") or "null")


def _claim(marker):
    """Whether this process is the one to die (first to create ``marker``)."""
    if not marker:
        return True
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        return True
    except FileExistsError:
        return False


def _act():
    """Die, or pause until the test says go."""
    pause = _SPEC.get("pause")
    if not pause:
        os.kill(os.getpid(), signal.SIGKILL)
    open(pause[0], "w").close()
    deadline = time.monotonic() + 120
    while not os.path.exists(pause[1]) and time.monotonic() < deadline:
        time.sleep(0.05)


def _wrap(original):
    calls = [0]

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        calls[0] += 1
        due = calls[0] == _SPEC["call"]
        if due and _SPEC["when"] == "before" and _claim(_SPEC.get("once")):
            _act()
        result = original(*args, **kwargs)
        if due and _SPEC["when"] == "after" and _claim(_SPEC.get("once")):
            _act()
        return result

    return wrapper


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Wraps the target function right after its module has been executed."""

    def find_spec(self, name, path, target=None):
        if name != _SPEC["module"]:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            setattr(module, _SPEC["function"], _wrap(getattr(module, _SPEC["function"])))

        spec.loader.exec_module = exec_module
        return spec


if _SPEC:
    sys.meta_path.insert(0, _PatchOnImport())

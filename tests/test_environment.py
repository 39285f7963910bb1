"""The installed environment is exactly requirements.lock, and the lock keeps the known-bad releases out.

requirements.lock is produced by ``uv pip compile`` (the command is in its first lines). These tests
fail when a package was upgraded or downgraded by hand, when pyproject.toml gained a dependency the
lock does not pin, or when a refresh let in a release known to break newsetl (issue 9).
"""
from __future__ import annotations

import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT

LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"

# Release ranges known to break newsetl: (package, first bad release, releases in the range, why).
# The lock must pin below the range, and pyproject.toml must admit none of the listed releases.
KNOWN_BAD = [
    ("fastapi", "0.140", ["0.140.0", "0.154.0", "0.155.0"],
     "0.154 answers 422 to `prefect deploy` and the listing commands; >=0.155 fails at import"),
    ("sqlalchemy", "2.1", ["2.1.0", "2.1.9"], "Prefect's scheduler never creates scheduled runs (bulk DML error)"),
    ("pandas", "3", ["3.0.0", "3.1.1"], "NULL comes back as NaN in search, sql and export output"),
]
# Pins that are known to work together and must stay exact.
EXACT = {"prefect": "3.8.8", "duckdb": "1.5.5", "duckdb-extension-fts": "1.5.5", "natasha": "1.6.0"}


def lock_pins() -> dict[str, Version]:
    """Package name (canonical) → pinned version, for every ``name==version`` line of the lock."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"lock line not pinned exactly: {line}"
        pins[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pins


def project_requirements() -> list[Requirement]:
    """The runtime dependencies and the test extra declared in pyproject.toml."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]


def installed_version(name: str) -> Version | None:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return Version(metadata.version(name))
    except metadata.PackageNotFoundError:
        return None


def dependency_closure(root: str = "newsetl[test]") -> set[str]:
    """Canonical names of every installed distribution that ``root`` needs, directly or not."""
    seen: set[str] = set()
    todo = [Requirement(root)]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # reported as not installed by the caller
        environments = [{"extra": extra} for extra in sorted(requirement.extras) + [""]]
        for text in requires:
            child = Requirement(text)
            if child.marker is None or any(child.marker.evaluate(env) for env in environments):
                todo.append(child)
    names = {key.split("[", 1)[0] for key in seen}
    names.discard("newsetl")
    return names


def test_the_lock_names_the_command_that_refreshes_it():
    header = LOCK.read_text(encoding="utf-8").splitlines()[:3]
    assert any("uv pip compile pyproject.toml --extra test --python-version 3.11" in line for line in header)


def test_installed_versions_match_the_lock():
    drifting = []
    for name, pinned in sorted(lock_pins().items()):
        installed = installed_version(name)
        if installed != pinned:
            drifting.append(f"{name}: installed {installed or 'nothing'}, lock {pinned}")
    assert not drifting, ("installed packages drift from requirements.lock; reinstall with "
                          "`pip install -c requirements.lock -e '.[test]'`:\n  " + "\n  ".join(drifting))


def test_every_dependency_of_newsetl_is_pinned_by_the_lock():
    pins = lock_pins()
    unlocked = sorted(name for name in dependency_closure() if name not in pins)
    assert not unlocked, f"installed dependencies of newsetl[test] missing from requirements.lock: {unlocked}"


def test_the_lock_satisfies_every_requirement_of_pyproject():
    pins = lock_pins()
    unmet = [f"{r} (lock: {pins.get(canonicalize_name(r.name), 'absent')})" for r in project_requirements()
             if canonicalize_name(r.name) not in pins or pins[canonicalize_name(r.name)] not in r.specifier]
    assert not unmet, f"pyproject.toml changed since the lock was made; refresh it: {unmet}"


@pytest.mark.parametrize(("name", "first_bad", "bad_releases", "why"), KNOWN_BAD, ids=[b[0] for b in KNOWN_BAD])
def test_known_bad_ranges_are_pinned_out(name, first_bad, bad_releases, why):
    pinned = lock_pins()[name]
    assert pinned < Version(first_bad), f"requirements.lock pins {name} {pinned}, not below {first_bad}: {why}"
    (declared,) = [r for r in project_requirements() if canonicalize_name(r.name) == name]
    admitted = [v for v in bad_releases if declared.specifier.contains(v)]
    assert not admitted, f"pyproject.toml admits {name} {admitted}: {why}"


@pytest.mark.parametrize(("name", "version"), sorted(EXACT.items()))
def test_known_good_pins_are_exact(name, version):
    assert lock_pins()[name] == Version(version)
    (declared,) = [r for r in project_requirements() if canonicalize_name(r.name) == name]
    assert str(declared.specifier) == f"=={version}"

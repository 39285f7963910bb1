"""Russian names of countries and other places (the gazetteer's own Russian names cover cities and
continents only), loaded once from the data file ``names_ru.json`` beside this module.

``COUNTRY_NAMES``: ISO 3166 code → the names a Russian text gives the country in the nominative:
the CLDR short name (from Babel 2.19's ``Locale("ru").territories``, abbreviations like «о-ва»
spelt out), then official names, abbreviations and established variants (Белоруссия, Киргизия,
Молдавия). ``ё``/``е``, case, hyphens and apostrophes are folded before lookup, so variants that
differ only by them need not be listed. A name listed for two countries is not linked.

``COLLOQUIAL_COUNTRY_NAMES``: figurative or loose names; they link with a lower confidence.
Names that are not one GeoNames country are deliberately absent: «Англия», «Шотландия», «Корея»,
«Конго», «СССР», «Советский Союз», regions («Центральная Азия», «Запад», «Балтия»).

``KIND_PREFIXES``: a leading word that says what kind of place follows («город Москва»): the rest of
the name is looked up among places of that feature only.
"""
from __future__ import annotations

import json
from importlib import resources

DATA_FILE = "names_ru.json"


def load_names() -> dict:
    """The name tables of the packaged data file: ``country_names``, ``colloquial_country_names``
    and ``kind_prefixes``."""
    return json.loads((resources.files(__package__) / DATA_FILE).read_text(encoding="utf-8"))


_TABLES = load_names()
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    code: tuple(names) for code, names in _TABLES["country_names"].items()
}
COLLOQUIAL_COUNTRY_NAMES: dict[str, str] = _TABLES["colloquial_country_names"]
KIND_PREFIXES: dict[str, str] = _TABLES["kind_prefixes"]

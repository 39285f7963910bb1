"""Endings of person names pymorphy3 does not know, as data for :mod:`persons`.

Each row is (oblique ending, nominative ending, genders, cases): a word ending in the
first string, read in one of ``cases`` and ``genders``, has the nominative made by
replacing that ending.  An empty oblique ending reads the word as the nominative itself.
"""
from __future__ import annotations

M, F, P = frozenset({"masc"}), frozenset({"femn"}), frozenset({"plur"})
MF = M | F
NOM = frozenset({"nomn"})
GEN, DAT, ACC, INS, LOC = (frozenset({c}) for c in ("gent", "datv", "accs", "ablt", "loct"))

NAME_ENDINGS = (
    # surnames in -ов/-ев/-ин/-ын, -ский/-цкий
    ("ова", "ов", M, GEN | ACC), ("ову", "ов", M, DAT), ("овым", "ов", M, INS), ("ове", "ов", M, LOC),
    ("ева", "ев", M, GEN | ACC), ("еву", "ев", M, DAT), ("евым", "ев", M, INS), ("еве", "ев", M, LOC),
    ("ёва", "ёв", M, GEN | ACC), ("ёву", "ёв", M, DAT), ("ёвым", "ёв", M, INS), ("ёве", "ёв", M, LOC),
    ("ина", "ин", M, GEN | ACC), ("ину", "ин", M, DAT), ("иным", "ин", M, INS), ("ине", "ин", M, LOC),
    ("ына", "ын", M, GEN | ACC), ("ыну", "ын", M, DAT), ("ыным", "ын", M, INS), ("ыне", "ын", M, LOC),
    ("овой", "ова", F, GEN | DAT | INS | LOC), ("ову", "ова", F, ACC),
    ("евой", "ева", F, GEN | DAT | INS | LOC), ("еву", "ева", F, ACC),
    ("иной", "ина", F, GEN | DAT | INS | LOC), ("ину", "ина", F, ACC),
    ("ыной", "ына", F, GEN | DAT | INS | LOC), ("ыну", "ына", F, ACC),
    ("ского", "ский", M, GEN | ACC), ("скому", "ский", M, DAT), ("ским", "ский", M, INS), ("ском", "ский", M, LOC),
    ("цкого", "цкий", M, GEN | ACC), ("цкому", "цкий", M, DAT), ("цким", "цкий", M, INS), ("цком", "цкий", M, LOC),
    ("ской", "ская", F, GEN | DAT | INS | LOC), ("скую", "ская", F, ACC),
    ("цкой", "цкая", F, GEN | DAT | INS | LOC), ("цкую", "цкая", F, ACC),
    ("ых", "ы", P, GEN | ACC | LOC), ("ым", "ы", P, DAT), ("ыми", "ы", P, INS),
    ("ов", "ы", P, GEN | ACC), ("ам", "ы", P, DAT), ("ами", "ы", P, INS), ("ах", "ы", P, LOC),
    # first names and surnames of the -а/-я declension, women's and men's (Мандела, Дзюба)
    ("ии", "ия", MF, GEN | DAT | LOC), ("ию", "ия", MF, ACC), ("ией", "ия", MF, INS),
    ("ы", "а", MF, GEN), ("е", "а", MF, DAT | LOC), ("у", "а", MF, ACC), ("ой", "а", MF, INS),
    ("и", "я", MF, GEN | DAT | LOC), ("ю", "я", MF, ACC), ("ей", "я", MF, INS),
    # men's names ending in a consonant (Таалатбек, Нельсон) and in -й
    ("а", "", M, GEN | ACC), ("у", "", M, DAT), ("ом", "", M, INS), ("е", "", M, LOC),
    ("я", "й", M, GEN | ACC), ("ю", "й", M, DAT), ("ем", "й", M, INS), ("е", "й", M, LOC),
    # a name already in the nominative: women's in -а/-я, men's in a consonant
    ("а", "а", F, NOM), ("я", "я", F, NOM),
    ("", "", M, NOM),
)

# Lemmas of kinship words that, in the plural before a surname, make the surname plural.
PLURAL_KIN_LEMMAS = frozenset({"брат", "сестра", "супруг", "супруга", "супруги", "братья", "сёстры", "сестры"})

# Endings of surnames that do not decline (Georgian, Ukrainian, old genitive and foreign ones),
# for words pymorphy3 does not know.
INDECLINABLE_ENDINGS = ("ели", "швили", "дзе", "ани", "иа", "уа", "енко", "ко", "ых", "их", "аго", "яго", "ио", "эу")

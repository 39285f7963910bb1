"""Evaluation helpers for the fact extractors, and a Natasha mention adapter.

``natasha_mentions(text)`` turns Natasha's own NER into ``Mention`` records so the
fact extractors can be tested before (and compared with) the project's
``newsetl.extractors.entities.analyze.extract_mentions``.

Occupation scoring on factRuEval (``score_occupations``)
--------------------------------------------------------
The gold facts name slot values as ``objN Surname Name`` or ``spanN text``; the
``objN``/``spanN`` ids belong to factRuEval's coreference layer, which the devset
copy does not include, so values are resolved through their text:

* Who -> the spans of every gold Person object whose surname (or, without one, its
  name) has the same stem as a word of the value («Лужков Юрий» -> «Юрия Лужкова»).
* Position -> every occurrence of the value text in the document (case-insensitive;
  any alternative after ``|``).
* Where -> the spans of every gold Org/Location/LocOrg object sharing a stem with a
  word of the value; since the value is the object's canonical name, an alias in the
  text («КНР» for «Китай») is accepted when it is a gold Org/Location/LocOrg span inside
  the prediction's evidence within ``NEAR_POSITION`` characters of the matched Position.

A predicted Occupation matches a gold fact when its person mention overlaps a Who
span, its position words overlap a Position occurrence (when the gold fact has a
Position), and — only when both sides have it — its org overlaps a Where span or
shares a stem with the Where value (or is an alias, see above).  Predictions are first de-duplicated per document
on (person key, position, org); each gold fact and each prediction is matched at
most once for recall (greedy, in text order).  Precision = predictions that match some
gold fact / predictions; recall = gold facts matched / gold facts.

The devset is split in two halves by a hash of the document id (``devset_half``): rules are
tuned on ``tune`` and ``held_out`` shows how they generalise; the gate reports both.

Run ``python tests/gates/eval_facts.py [-v] [--half tune|held_out]`` to print the scores (and the misses).
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsetl.schemas.facts import Occupation
from newsetl.schemas.records import Mention

NEAR_POSITION = 60  # chars between a gold Position occurrence and a Where candidate
FACTRU_DEV = Path(__file__).resolve().parents[1] / "data" / "factru-dev"
SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"


# --- Natasha adapter -------------------------------------------------------

@cache
def _natasha():
    """Natasha's segmenter, taggers and vocab, loaded once."""
    from natasha import (MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger,
                         NewsSyntaxParser, Segmenter)

    emb = NewsEmbedding()
    return Segmenter(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb), MorphVocab()


def natasha_mentions(text: str) -> list[Mention]:
    """Natasha NER spans as ``Mention`` records, tagged paragraph by paragraph.

    Each line is tagged on its own so no span runs across a heading and its body.
    The key is ``TYPE:normal`` case-folded; a PER mention whose last word matches an
    earlier full name's last word reuses its key («Масадыков» -> «Таалатбек Масадыков»).
    """
    from natasha import Doc

    segmenter, morph, syntax, ner, vocab = _natasha()
    surname_keys: dict[str, str] = {}
    mentions = []
    sentence_base = 0
    for line in re.finditer(r"[^\n]+", text):
        if not line.group().strip():
            continue
        doc = Doc(line.group())
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
        sentence_starts = [s.start for s in doc.sents]
        for span in doc.spans:
            span.normalize(vocab)
            normal = span.normal or span.text
            words = normal.casefold().split()
            key = f"{span.type}:{normal.casefold()}"
            if span.type == "PER":
                known = next((k for w, k in surname_keys.items() if _same_stem(w, words[-1])), None)
                if known:
                    key = known
                elif len(words) > 1:
                    surname_keys[words[-1]] = key
            start, stop = line.start() + span.start, line.start() + span.stop
            sentence_no = sentence_base + sum(1 for s in sentence_starts if s <= span.start) - 1
            mentions.append(Mention(start, stop, span.type, text[start:stop], normal, sentence_no, key))
        sentence_base += len(sentence_starts)
    return mentions


def project_mentions():
    """``extract_mentions`` from the project's entities extractor, or None if unusable."""
    try:
        from newsetl.extractors.entities.analyze import extract_mentions
    except Exception:  # noqa: BLE001 - any import failure means "not available yet"
        return None
    try:
        extract_mentions("Президент России Владимир Путин прибыл в Москву.")
    except Exception:  # noqa: BLE001
        return None
    return extract_mentions


def seed_text(prefix: str) -> str:
    """The text of the seed whose file name starts with ``prefix`` (e.g. ``"000"``)."""
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


# --- factRuEval occupation scoring -------------------------------------------

@dataclass
class GoldOccupation:
    """A gold Occupation fact resolved to text spans."""

    fact_id: str
    who: str
    position: str | None
    where: str | None
    who_spans: list[tuple[int, int]]
    position_spans: list[tuple[int, int]]
    where_spans: list[tuple[int, int]]
    place_spans: list[tuple[int, int]]  # every gold Org/Location/LocOrg span of the document


def stem(word: str) -> str:
    """A crude Russian stem: lower-cased, ё->е, inflection-sized ending cut off."""
    word = word.casefold().replace("ё", "е")
    return word[: max(3, len(word) - 2)] if len(word) > 4 else word


def _words(value: str) -> list[str]:
    return [w for w in re.findall(r"\w+", value) if len(w) > 1]


def _same_stem(a: str, b: str) -> bool:
    if min(len(a), len(b)) <= 3:
        return a.casefold() == b.casefold()
    sa, sb = stem(a), stem(b)
    return sa.startswith(sb) or sb.startswith(sa)


def _value(raw: str) -> tuple[str, list[str]]:
    """(first alternative's text, all alternatives' texts) of a slot value."""
    texts = [alt.strip().split(" ", 1)[1] if " " in alt.strip() else "" for alt in raw.split("|")]
    return texts[0], texts


def _resolve_objects(value: str, objects: list[dict], types: set[str], person: bool,
                     text: str) -> list[tuple[int, int]]:
    """Spans of the gold objects whose name words share a stem with the value's words."""
    words = _words(value)
    spans = []
    for obj in objects:
        if obj["type"] not in types:
            continue
        if person:
            surnames = [w for s in obj["spans"] if s[2] == "surname" for w in _words(text[s[0]:s[1]])]
            names = [w for s in obj["spans"] if s[2] in ("name", "surname", "nickname")
                     for w in _words(text[s[0]:s[1]])]
            found = any(_same_stem(w, v) for w in surnames for v in words) or (
                bool(names) and all(any(_same_stem(w, v) for w in names) for v in words))
        else:
            named = [s for s in obj["spans"] if s[2] in ("org_name", "loc_name", "name", "geo_adj")]
            found = any(_same_stem(w, v) for s in named for w in _words(text[s[0]:s[1]]) for v in words)
        if found:
            spans.extend((s[0], s[1]) for s in obj["spans"])
    return spans


def _occurrences(text: str, needles: list[str]) -> list[tuple[int, int]]:
    spans = []
    low = text.casefold()
    for needle in needles:
        needle = needle.casefold().strip()
        needle = re.sub(r"\s+([.,])", r"\1", needle)
        if not needle:
            continue
        spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(needle), low))
    return spans


def gold_occupations(gold: dict, text: str) -> list[GoldOccupation]:
    """The document's gold Occupation facts with Who/Position/Where resolved to spans."""
    result = []
    for fact in gold["facts"]:
        if fact["type"] != "Occupation":
            continue
        slots = dict(fact["slots"])
        who, _ = _value(slots["Who"])
        position, positions = _value(slots["Position"]) if "Position" in slots else (None, [])
        where, _ = _value(slots["Where"]) if "Where" in slots else (None, [])
        result.append(GoldOccupation(
            fact_id=fact["id"],
            who=who,
            position=position,
            where=where,
            who_spans=_resolve_objects(who, gold["objects"], {"Person"}, True, text),
            position_spans=_occurrences(text, positions),
            where_spans=_resolve_objects(where, gold["objects"], {"Org", "Location", "LocOrg"},
                                         False, text) if where else [],
            place_spans=[(sp[0], sp[1]) for obj in gold["objects"]
                         if obj["type"] in ("Org", "Location", "LocOrg") for sp in obj["spans"]],
        ))
    return result


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _person_span(pred: Occupation, mentions: list[Mention]) -> list[tuple[int, int]]:
    """Spans of the mentions of the predicted person (same key) — the person's coref chain."""
    return [(m.start, m.stop) for m in mentions if m.key == pred.person_key]


def matches(pred: Occupation, gold: GoldOccupation, mentions: list[Mention], text: str) -> bool:
    """Whether a predicted occupation matches a resolved gold fact (see module doc)."""
    if not any(_overlaps(s, e, gold.who_spans) for s, e in _person_span(pred, mentions)):
        return False
    if gold.position is not None and not _overlaps(pred.position_start, pred.position_end,
                                                    gold.position_spans):
        return False
    if gold.where and pred.org:
        org_spans = [(m.start, m.stop) for m in mentions if m.key == pred.org_key]
        by_span = any(_overlaps(s, e, gold.where_spans) for s, e in org_spans)
        by_text = any(_same_stem(w, v) for w in _words(pred.org) for v in _words(gold.where))
        if not (by_span or by_text or _org_next_to_position(pred, gold)):
            return False
    return True


def _org_next_to_position(pred: Occupation, gold: GoldOccupation) -> bool:
    """The predicted organisation lies on a gold place object within the evidence next to
    the gold Position occurrence (for aliases: «КНР» for the Where value «Китай»)."""
    near = [(s, e) for s, e in gold.position_spans
            if _overlaps(pred.position_start, pred.position_end, [(s, e)])]
    places = [(s, e) for s, e in gold.place_spans
              if any(abs(s - pe) <= NEAR_POSITION or abs(ps - e) <= NEAR_POSITION for ps, pe in near)]
    return any(_overlaps(s, e, places) and pred.char_start <= s and e <= pred.char_end
               for s, e in places)


def dedupe(preds: list[Occupation]) -> list[Occupation]:
    """One prediction per (person key, position, org key)."""
    seen, unique = set(), []
    for pred in preds:
        key = (pred.person_key, pred.position.casefold(), pred.org_key)
        if key not in seen:
            seen.add(key)
            unique.append(pred)
    return unique


@dataclass
class Score:
    """Counts and precision/recall/F1 of an evaluation run."""

    tp_pred: int = 0
    tp_gold: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return (f"P={self.precision:.3f} ({self.tp_pred}/{self.n_pred}) "
                f"R={self.recall:.3f} ({self.tp_gold}/{self.n_gold}) F1={self.f1:.3f}")


HALVES = ("tune", "held_out")


def devset_half(doc_id: str) -> str:
    """The half of the devset a document belongs to: ``tune`` or ``held_out`` (by a SHA-256 of its id)."""
    return HALVES[hashlib.sha256(doc_id.encode("utf-8")).digest()[0] % 2]


def load_factru(half: str | None = None) -> list[tuple[dict, dict]]:
    """(document, gold) pairs of the factRuEval devset, or of one half of it (see ``devset_half``)."""
    docs = {}
    with open(FACTRU_DEV / "documents.jsonl", encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            docs[doc["id"]] = doc
    pairs = []
    with open(FACTRU_DEV / "gold.jsonl", encoding="utf-8") as f:
        for line in f:
            gold = json.loads(line)
            if half is None or devset_half(gold["id"]) == half:
                pairs.append((docs[gold["id"]], gold))
    return pairs


def score_occupations(mentioner, verbose: bool = False, half: str | None = None) -> Score:
    """Score ``extract_occupations`` on the devset (or one half), with mentions from ``mentioner(text)``."""
    from newsetl.extractors.facts.occupations import extract_occupations

    score = Score()
    for doc, gold in load_factru(half):
        text = doc["text"]
        mentions = mentioner(text)
        preds = dedupe(extract_occupations(text, mentions))
        golds = gold_occupations(gold, text)
        used_gold: set[int] = set()
        for pred in preds:
            hit = next((i for i, g in enumerate(golds)
                        if i not in used_gold and matches(pred, g, mentions, text)), None)
            if hit is not None:
                used_gold.add(hit)
            elif verbose:
                print(f"FP {doc['id']}: {pred.person} | {pred.position} | {pred.org} || {pred.evidence!r}")
        if verbose:
            for i, g in enumerate(golds):
                if i not in used_gold:
                    print(f"FN {doc['id']}: {g.who} | {g.position} | {g.where} "
                          f"(who spans {len(g.who_spans)}, pos spans {len(g.position_spans)})")
        score.n_pred += len(preds)
        score.n_gold += len(golds)
        score.tp_gold += len(used_gold)
        score.tp_pred += sum(
            1 for pred in preds if any(matches(pred, g, mentions, text) for g in golds)
        )
    return score


if __name__ == "__main__":
    chosen = sys.argv[sys.argv.index("--half") + 1] if "--half" in sys.argv else None
    verbose = "-v" in sys.argv
    mentioners = {"natasha NER": natasha_mentions}
    if "--natasha" not in sys.argv and project_mentions() is not None:
        mentioners["extract_mentions"] = project_mentions()
    for label, mentioner in mentioners.items():
        for part in [chosen] if chosen else HALVES:
            print(f"{label} [{part}]:", score_occupations(mentioner, verbose=verbose, half=part))

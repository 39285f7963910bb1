"""Test data for near-duplicates and stories, made from real texts (factRuEval dev set, seeds).

Each *variant* turns a real text into a copy an outlet could publish: a near-duplicate (new header
and footer, one sentence edited, paragraphs reordered, first half, paragraphs dropped) or a
rewrite of the same event (different wording, same entities). Negatives are other real texts,
including texts on the same topic (sharing entities). Entity ids are the gold NER surfaces, reduced
to crude stems, that still occur in the text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[3]
FACTRU = ROOT / "tests" / "data" / "factru-dev"
SEEDS = ROOT / "samples" / "seeds"
_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[А-ЯЁA-Z«\"])")


@dataclass(frozen=True)
class Text:
    """A real text with the entity keys of its gold mentions."""

    doc_id: str
    text: str
    entity_surfaces: tuple[str, ...]


def entity_key(surface: str) -> str:
    """A crude entity id for a surface: its words cut to five letters, lower case, ё → е."""
    words = re.findall(r"[^\W_]+", surface.lower().replace("ё", "е"))
    return " ".join(w[:5] for w in words)


def entity_ids(text: str, surfaces: tuple[str, ...]) -> frozenset[str]:
    """The entity keys of those surfaces that still occur in ``text``."""
    keyed = entity_key(text)
    return frozenset(k for k in map(entity_key, surfaces) if k and f" {k} " in f" {keyed} ")


def load_texts(min_words: int = 80) -> list[Text]:
    """The factRuEval dev texts with at least ``min_words`` words, with their gold surfaces."""
    gold = {}
    for line in (FACTRU / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold[record["id"]] = record["ner"]
    texts = []
    for line in (FACTRU / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        body = record["text"]
        if len(body.split()) < min_words:
            continue
        surfaces = tuple(dict.fromkeys(body[s:e] for s, e, _ in gold.get(record["id"], [])))
        texts.append(Text(record["id"], body, surfaces))
    return texts


def seed_texts() -> list[Text]:
    """The two seed texts (no gold entities)."""
    return [Text(p.stem, p.read_text(encoding="utf-8"), ()) for p in sorted(SEEDS.glob("*.txt"))]


def units(text: str) -> list[str]:
    """Paragraphs of ``text``, or its sentences when it has fewer than four paragraphs."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return paragraphs if len(paragraphs) >= 4 else [s for s in _SENTENCE_END.split(text) if s.strip()]


def header_footer(text: str) -> str:
    """An agency copy: a dateline header and a subscription footer added."""
    return ("МОСКВА, 14 марта. /Корр. ИА «Вестник»/.\n\n" + text
            + "\n\nПодписывайтесь на наш канал, чтобы первыми узнавать главные новости дня."
            + "\nПостоянный адрес статьи - https://example.ru/news/12345")


def sentence_edited(text: str) -> str:
    """One sentence in the middle rewritten."""
    parts = units(text)
    middle = len(parts) // 2
    parts[middle] = "По уточнённым данным, " + parts[middle][:1].lower() + parts[middle][1:] + " Подробности уточняются."
    return "\n\n".join(parts)


def paragraphs_reordered(text: str) -> str:
    """Paragraphs (or sentences) in reverse order."""
    return "\n\n".join(reversed(units(text)))


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (paragraph breaks become sentence breaks)."""
    return [s for p in re.split(r"\n\s*\n", text) for s in _SENTENCE_END.split(p) if s.strip()]


def first_half(text: str) -> str:
    """A shortened copy: the first sentences, up to half of the text's characters."""
    kept, size = [], 0
    for sentence in sentences(text):
        if kept and size + len(sentence) > len(text) / 2:
            break
        kept.append(sentence)
        size += len(sentence)
    return " ".join(kept)


def dropped_paragraphs(text: str) -> str:
    """A shortened copy: every third sentence dropped."""
    return " ".join(s for i, s in enumerate(sentences(text)) if i % 3 != 2)


def reworded(text: str) -> str:
    """A rewrite of the same event: every fourth word dropped and neighbouring words swapped, so
    the text keeps its vocabulary and names but loses most of its word sequences."""
    words = [w for i, w in enumerate(text.split()) if i % 4 != 3]
    for i in range(0, len(words) - 1, 5):
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


NEAR_DUPLICATE_VARIANTS: dict[str, Callable[[str], str]] = {
    "header_footer": header_footer,
    "sentence_edited": sentence_edited,
    "paragraphs_reordered": paragraphs_reordered,
    "first_half": first_half,
    "dropped_paragraphs": dropped_paragraphs,
}
STORY_VARIANTS: dict[str, Callable[[str], str]] = {"reworded": reworded}


def same_topic_pairs(texts: list[Text], min_shared: int = 2) -> list[tuple[Text, Text]]:
    """Pairs of different real texts that share at least ``min_shared`` entities (same topic)."""
    ids = [entity_ids(t.text, t.entity_surfaces) for t in texts]
    return [(texts[i], texts[j]) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if len(ids[i] & ids[j]) >= min_shared]

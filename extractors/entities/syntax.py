"""Dependency structure of multi-word entity spans, from Natasha's ``NewsSyntaxParser``.

The parser (slovnet, Universal Dependencies labels) runs only on the sentences that
hold a multi-word span, and each sentence at most once per text.  For a span,
:func:`span_syntax` finds its syntactic head (the one token whose head lies outside
the span) and the tokens that agree with it and so take the nominative with it:

- ``amod`` and ``det`` modifiers of an agreeing noun («Московского государственного
  университета»), and adjectives conjoined to them («продовольственной и
  сельскохозяйственной организации»);
- ``flat``, ``flat:name``, ``flat:foreign``, ``appos`` and ``conj`` nouns attached to an
  agreeing noun («Боснии и Герцеговины», «Республики Беларусь»), whose own modifiers
  agree in turn.

Every other dependent (``nmod`` genitive complements, ``case`` prepositions and the
``nmod``/``obl`` phrases they head, ``nummod``, punctuation) stays as written.  The
parse is unusable, and :func:`span_syntax` returns None, when the span has no parsed
sentence, when not exactly one of its word tokens has its head outside the span
(several roots), or when a noun that does not agree with the head comes before it
(the parse then reads a genitive as the head's governor, which names never do).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

MODIFIER_RELATIONS = frozenset({"amod", "det"})
NOUN_RELATIONS = frozenset({"flat", "flat:name", "flat:foreign", "appos", "conj"})
NOUN_TAGS = frozenset({"NOUN", "PROPN"})
ROOT = -1


@dataclass(frozen=True)
class Agreeing:
    """A span token that takes the nominative with its governor.

    ``index`` and ``governor`` are positions in the span; ``kind`` is "modifier"
    (adjective, determiner) or "noun" (a name part, apposition or conjunct).
    """

    index: int
    governor: int
    kind: str


@dataclass(frozen=True)
class SpanSyntax:
    """The syntactic head of a span (position in the span) and its agreeing tokens, governors first."""

    head: int
    agreeing: tuple[Agreeing, ...]


@dataclass
class SentenceParses:
    """Head and relation of every token in the parsed sentences of one text, by document token index.

    Sentences are parsed on demand (:meth:`ensure`) and never twice.
    """

    parser: object
    tokens: Sequence
    sentence_ranges: Sequence[tuple[int, int]]
    head: dict[int, int] = field(default_factory=dict)
    rel: dict[int, str] = field(default_factory=dict)
    parsed: set[int] = field(default_factory=set)

    def ensure(self, sentence_ids: set[int]) -> None:
        """Parse, in one batch, those of ``sentence_ids`` not parsed yet."""
        todo = sorted(sentence_ids - self.parsed)
        if not todo:
            return
        words = [[t.text for t in self.tokens[slice(*self.sentence_ranges[s])]] for s in todo]
        for sentence_id, markup in zip(todo, self.parser.map(words)):
            first = self.sentence_ranges[sentence_id][0]
            for token in markup.tokens:
                index = first + int(token.id) - 1
                head = int(token.head_id)
                self.head[index] = first + head - 1 if head > 0 else ROOT
                self.rel[index] = token.rel
            self.parsed.add(sentence_id)

    def span_syntax(self, first: int, last: int) -> SpanSyntax | None:
        """:func:`span_syntax` of the token range [first, last), or None if its sentence is not parsed."""
        if any(i not in self.head for i in range(first, last)):
            return None
        return span_syntax(self.tokens, first, last, self.head, self.rel)


def sentence_ranges(sent_of: Sequence[int]) -> list[tuple[int, int]]:
    """Token range [first, last) of each sentence, from the sentence number of each token."""
    ranges: list[list[int]] = []
    for index, sentence in enumerate(sent_of):
        while len(ranges) <= sentence:
            ranges.append([index, index])
        ranges[sentence][1] = index + 1
    return [(a, b) for a, b in ranges]


def is_multiword(tokens: Sequence, first: int, last: int) -> bool:
    """The span holds more than one word (punctuation does not count)."""
    return sum(1 for t in tokens[first:last] if any(ch.isalnum() for ch in t.text)) > 1


def span_syntax(tokens: Sequence, first: int, last: int, head: dict[int, int], rel: dict[int, str]) -> SpanSyntax | None:
    """Head and agreeing tokens of the span [first, last) under a parse, or None when the parse is unusable."""
    words = [i for i in range(first, last) if rel[i] != "punct" and any(ch.isalnum() for ch in tokens[i].text)]
    roots = [i for i in words if not first <= head[i] < last]
    if len(roots) != 1:
        return None
    root = roots[0]
    agreeing = agreeing_tokens(root, words, head, rel, tokens)
    agreeing_set = {a.index for a in agreeing} | {root}
    if any(tokens[i].pos in NOUN_TAGS and i not in agreeing_set for i in words if i < root):
        return None
    return SpanSyntax(root - first, tuple(Agreeing(a.index - first, a.governor - first, a.kind) for a in agreeing))


def agreeing_tokens(root: int, words: Sequence[int], head: dict[int, int], rel: dict[int, str], tokens: Sequence) -> list[Agreeing]:
    """Tokens that agree with ``root``, found breadth-first so that governors come before dependents.

    Indexes are document token indexes here; :func:`span_syntax` makes them span positions.
    """
    children: dict[int, list[int]] = {}
    for i in words:
        children.setdefault(head[i], []).append(i)
    found, queue = [], [root]
    while queue:
        governor = queue.pop(0)
        for child in children.get(governor, ()):
            if rel[child] in MODIFIER_RELATIONS:
                found.append(Agreeing(child, governor, "modifier"))
                # «продовольственной и сельскохозяйственной организации»: conjoined adjectives agree too
                found.extend(Agreeing(conjunct, governor, "modifier") for conjunct in children.get(child, ())
                             if rel[conjunct] == "conj" and tokens[conjunct].pos == "ADJ")
            elif rel[child] in NOUN_RELATIONS and tokens[child].pos in NOUN_TAGS:
                found.append(Agreeing(child, governor, "noun"))
                queue.append(child)
    return found

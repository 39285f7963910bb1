"""People, organisations and places in Russian news text.

Natasha (segment, tag_morph, tag_ner) finds the candidate spans; ``entities_spans``
repairs them and adds organisations Natasha misses; ``entities_norm`` puts them in
the nominative and builds resolution keys; ``entities_acronyms`` finds acronym
definitions; ``entities_resolve`` merges keys across the corpus.

Normal forms:

- Organisations and places of more than one word, and acronym long forms, are
  normalised by their dependency parse.  Natasha's ``NewsSyntaxParser`` (loaded once
  in :func:`load_models`) runs only on the sentences that hold such a span, once per
  sentence.  ``entities_syntax.span_syntax`` takes as the span's head the one word
  whose syntactic head lies outside the span; the head and the tokens agreeing with
  it (``amod``/``det`` modifiers and adjectives conjoined to them; ``flat``,
  ``flat:name``, ``flat:foreign``, ``appos`` and ``conj`` nouns, with their own
  modifiers) are put in the nominative, keeping the head's number; a dependent is
  changed only if pymorphy3 has a form of it in the head's case and number (and
  gender, for singular modifiers).  All other tokens (``nmod`` genitives, ``case``
  prepositions and their phrases, numerals, punctuation) stay as written:
  «Организации Договора о коллективной безопасности» → «Организация Договора о
  коллективной безопасности».
- The head rule (``Normalizer.phrase_by_head_rule``: the first noun after leading
  adjectives is the head; it and those adjectives are inflected, the rest kept) is
  the fallback when the parse is unusable: several words with a head outside the
  span, a non-agreeing noun before the head, or a head that is not a noun, is an
  acronym, or has no case the tagger and pymorphy3 agree on.  One-word spans use it
  too (no parse is needed for them).
- Quoted organisation names (the span is the text inside the quotes) are kept as
  written when they follow a descriptor noun («компании «Газпром»», «газеты
  «Известия»»: the name stands in the nominative), unless a one-word name has no
  nominative reading at all («на сайте «Известий»»).  Without a descriptor the name is
  inflected with the sentence and is put in the nominative: one word by
  ``Normalizer.quoted_word`` («акции «Газпрома»» → «Газпром», «АвтоВАЗа» →
  «АвтоВАЗ», «Известий» → «Известия»), several words by the phrase rules above
  («Единой России» → «Единая Россия»).  Quoted names of other types are kept as written.
- Persons are not parsed: the words of the name are read together in one case and
  one gender (or the plural, after «братьев», «сестёр») by their pymorphy3 name tags
  (Name/Surn/Patr), indeclinable and unknown names included (``entities_persons``).
- Long texts are analysed in windows of at most 20 000 characters cut at line breaks,
  sentence ends or spaces (:mod:`windows`), the NER tagger seeing one paragraph at
  a time, so memory does not grow with the text and offsets stay exact.

Public API: :func:`extract_mentions`, :func:`extract_acronyms`, :func:`analyze`,
and (re-exported) :func:`resolve_keys`, :func:`entity_id`.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Sequence

from newsetl.extractors.entities.acronyms import find_definitions
from newsetl.extractors.entities.norm import Normalizer, fold, person_key, phrase_key
from newsetl.extractors.entities.persons import is_plural_kin
from newsetl.extractors.entities.resolve import entity_id, resolve_keys
from newsetl.extractors.entities.spans import SUPRANATIONAL_ORGS, SpanFixer
from newsetl.extractors import models
from newsetl.extractors.entities.syntax import SentenceParses, is_multiword, sentence_ranges
from newsetl.extractors.entities.windows import paragraph_ranges, text_windows
from newsetl.schemas.records import Acronym, Mention

ENTITY_EXTRACTOR_VERSION = "entities/4"

__all__ = [
    "ENTITY_EXTRACTOR_VERSION", "extract_mentions", "extract_acronyms", "analyze",
    "resolve_keys", "entity_id", "load_models",
]


@dataclass(frozen=True)
class Models:
    """Natasha's segmenter, morph tagger, NER tagger and syntax parser, plus our normaliser over
    pymorphy3 (OpenCorpora tags)."""

    segmenter: object
    morph_tagger: object
    ner_tagger: object
    syntax_parser: object
    normalizer: Normalizer
    lemma: object
    is_first_name: object


@cache
def load_models() -> Models:
    """Load the bundled Natasha models once per process (see :mod:`newsetl.extractors.models`)."""
    vocab = models.morph()
    normalizer = Normalizer(vocab)

    @lru_cache(maxsize=100_000)
    def lemma(word: str) -> str:
        parses = vocab.parse(word.lower())
        return parses[0].normal_form.replace("ё", "е") if parses else word.lower()

    @lru_cache(maxsize=100_000)
    def is_first_name(word: str) -> bool:
        return any("Name" in p.tag and p.tag.case == "nomn" for p in vocab.parse(word))

    return Models(*models.natasha(), normalizer, lemma, is_first_name)


@dataclass(frozen=True)
class ProcessedText:
    """One text after Natasha and the span rules: tokens, sentence index per token, spans,
    the token ranges of quoted names (and of those right after a descriptor noun), and the
    dependency parses of the sentences parsed so far."""

    text: str
    tokens: Sequence
    sent_of: Sequence[int]
    spans: Sequence[tuple[int, int, str]]
    quoted: frozenset[tuple[int, int]]
    quoted_after_descriptor: frozenset[tuple[int, int]]
    parses: SentenceParses
    n_sentences: int

    def parse_sentences_of(self, ranges: Sequence[tuple[int, int]]) -> None:
        """Parse, in one batch, the sentences of those token ranges that hold more than one word."""
        needed = {self.sent_of[first] for first, last in ranges if is_multiword(self.tokens, first, last)}
        self.parses.ensure(needed)


@lru_cache(maxsize=4)
def process(text: str) -> ProcessedText:
    """Run Natasha (segment, NER paragraph by paragraph, morph where needed) and the span rules over one window.

    Cached for the last few windows so that :func:`extract_acronyms` after
    :func:`extract_mentions` on the same text does not run the models again; the cache
    changes no result (a sentence's tags and parse do not depend on the batch it runs in).
    """
    from natasha import Doc

    models = load_models()
    doc = Doc(text)
    doc.segment(models.segmenter)
    tokens = doc.tokens
    sent_starts = [sent.start for sent in doc.sents]
    sent_of = [bisect.bisect_right(sent_starts, token.start) - 1 for token in tokens]
    token_starts = [token.start for token in tokens]
    ner_spans = []
    for start, stop, kind in ner_by_paragraph(text, models.ner_tagger):
        first = bisect.bisect_left(token_starts, start)
        last = bisect.bisect_left(token_starts, stop)
        if last > first:
            ner_spans.append((first, last, kind))
    tag_morph_where_needed(doc, models.morph_tagger, {sent_of[first] for first, _, _ in ner_spans})
    fixer = SpanFixer(text, tokens, sent_of, models.lemma)
    spans = fixer.fix(ner_spans)
    quoted = frozenset(region.inner() for region in fixer.quotes)
    after_descriptor = frozenset(region.inner() for region in fixer.quotes if fixer.follows_descriptor(region))
    parses = SentenceParses(models.syntax_parser, tokens, sentence_ranges(sent_of))
    return ProcessedText(text, tokens, sent_of, spans, quoted, after_descriptor, parses, len(doc.sents))


def ner_by_paragraph(text: str, ner_tagger) -> list[tuple[int, int, str]]:
    """Natasha's NER spans (start, stop, type) in ``text``, tagging each paragraph on its own."""
    paragraphs = paragraph_ranges(text)
    found = []
    for (start, _), markup in zip(paragraphs, ner_tagger.map([text[a:b] for a, b in paragraphs])):
        found.extend((start + span.start, start + span.stop, span.type) for span in markup.spans)
    return found


def tag_morph_where_needed(doc, morph_tagger, sentences_with_spans: set[int]) -> None:
    """Morph-tag only the sentences that hold an entity span or a bracket (acronym definitions).

    The morph tagger costs as much as the NER tagger; other sentences need no features.
    """
    for token in doc.tokens:
        token.pos, token.feats = None, {}
    needed = [sent for number, sent in enumerate(doc.sents)
              if number in sentences_with_spans or any(t.text == "(" for t in sent.tokens)]
    markups = morph_tagger.map([[token.text for token in sent.tokens] for sent in needed])
    for sent, markup in zip(needed, markups):
        for token, tagged in zip(sent.tokens, markup.tokens):
            token.pos, token.feats = tagged.pos, tagged.feats


def extract_mentions(text: str) -> list[Mention]:
    """Typed PER/ORG/LOC mentions in ``text``, sorted by start, with normal forms and keys."""
    return analyze(text)[0]


def window_mentions(processed: ProcessedText) -> list[Mention]:
    """The mentions of one window, offsets and sentence numbers within it."""
    models = load_models()
    processed.parse_sentences_of([(first, last) for first, last, kind in processed.spans
                                  if kind != "PER" and _normalised_by_phrase(processed, first, last, kind)])
    return [make_mention(processed, span, models) for span in processed.spans]


def make_mention(processed: ProcessedText, span: tuple[int, int, str], models: Models) -> Mention:
    """The Mention record for a token span."""
    first, last, entity_type = span
    tokens = processed.tokens[first:last]
    start, stop = tokens[0].start, tokens[-1].stop
    surface = processed.text[start:stop]
    if entity_type == "PER":
        plural = first > 0 and is_plural_kin(processed.tokens[first - 1], models.lemma)
        normal = models.normalizer.person(tokens, plural_context=plural)
        key = person_key(normal, models.is_first_name)
    else:
        if (first, last) in processed.quoted:
            normal = quoted_name_normal(processed, first, last, entity_type, models)
        else:
            normal = models.normalizer.phrase(tokens, processed.parses.span_syntax(first, last))
        if entity_type == "LOC" and fold(normal) in SUPRANATIONAL_ORGS:
            entity_type = "ORG"
        key = phrase_key(entity_type, normal)
    return Mention(start, stop, entity_type, surface, normal, processed.sent_of[first], key)


def _normalised_by_phrase(processed: ProcessedText, first: int, last: int, entity_type: str) -> bool:
    """The span's normal form comes from ``Normalizer.phrase`` (so it may need a dependency parse)."""
    if (first, last) not in processed.quoted:
        return True
    return entity_type == "ORG" and last - first > 1 and (first, last) not in processed.quoted_after_descriptor


def quoted_name_normal(processed: ProcessedText, first: int, last: int, entity_type: str, models: Models) -> str:
    """Normal form of a quoted name: the nominative of an inflected organisation name, else as written."""
    tokens = processed.tokens[first:last]
    as_written = " ".join(processed.text[tokens[0].start:tokens[-1].stop].split())
    if entity_type != "ORG":
        return as_written
    after_descriptor = (first, last) in processed.quoted_after_descriptor
    if last - first == 1:
        return models.normalizer.quoted_word(tokens[0], only_if_never_nominative=after_descriptor) or as_written
    if after_descriptor:
        return as_written
    return models.normalizer.phrase(tokens, processed.parses.span_syntax(first, last))


def extract_acronyms(text: str, mentions: Sequence[Mention]) -> list[Acronym]:
    """Acronyms defined in ``text`` as «long form (ACR)», long form normalised to the nominative.

    When the letters do not spell out the words before the bracket, an organisation
    mention ending right before the bracket and starting with the acronym's first
    letter is taken as the long form.
    """
    acronyms = []
    for start, stop in text_windows(text):
        inside = [shift_mention(m, -start, 0) for m in mentions if start <= m.start and m.stop <= stop]
        acronyms.extend(shift_acronym(a, start) for a in window_acronyms(process(text[start:stop]), inside))
    return acronyms


def window_acronyms(processed: ProcessedText, mentions: Sequence[Mention]) -> list[Acronym]:
    """The acronym definitions of one window, given its mentions (offsets within the window)."""
    text, tokens = processed.text, processed.tokens
    models = load_models()
    definitions = long_form_ranges(processed, mentions)
    processed.parse_sentences_of([long_range for _, long_range in definitions])
    acronyms = []
    for index, (first, last) in definitions:
        short, long_tokens = tokens[index], tokens[first:last]
        long_start, long_stop = long_tokens[0].start, long_tokens[-1].stop
        acronyms.append(Acronym(
            short_form=short.text,
            long_form=text[long_start:long_stop],
            long_normal=models.normalizer.phrase(long_tokens, processed.parses.span_syntax(first, last)),
            short_start=short.start, short_stop=short.stop,
            long_start=long_start, long_stop=long_stop,
        ))
    return acronyms


def long_form_ranges(processed: ProcessedText, mentions: Sequence[Mention]) -> list[tuple[int, tuple[int, int]]]:
    """Token index of each defined acronym with the token range [first, last) of its long form."""
    tokens = processed.tokens
    token_starts = [t.start for t in tokens]
    ending_at = {m.stop: m for m in mentions if m.type == "ORG"}
    found = []
    for index, match in find_definitions(processed.text, tokens):
        short = tokens[index]
        if match is not None:
            found.append((index, (match.start, match.stop)))
            continue
        mention = ending_at.get(tokens[index - 1].start) or ending_at.get(_stop_before(tokens, index - 1))
        if mention is None or fold(mention.surface)[:1] != short.text[:1].lower():
            continue
        first = bisect.bisect_left(token_starts, mention.start)
        last = bisect.bisect_left(token_starts, mention.stop)
        found.append((index, (first, last)))
    return found


def _stop_before(tokens: Sequence, index: int) -> int:
    return tokens[index - 1].stop if index > 0 else -1


def analyze(text: str) -> tuple[list[Mention], list[Acronym]]:
    """Mentions and acronym definitions of one text, analysed in bounded windows (:mod:`windows`).

    Offsets are into ``text``; sentence numbers count on across windows.
    """
    mentions: list[Mention] = []
    acronyms: list[Acronym] = []
    sentences_before = 0
    for start, stop in text_windows(text):
        processed = process(text[start:stop])
        inside = window_mentions(processed)
        acronyms.extend(shift_acronym(a, start) for a in window_acronyms(processed, inside))
        mentions.extend(shift_mention(m, start, sentences_before) for m in inside)
        sentences_before += processed.n_sentences
    return mentions, acronyms


def shift_mention(mention: Mention, chars: int, sentences: int) -> Mention:
    """The mention with its offsets moved by ``chars`` and its sentence number by ``sentences``."""
    if not chars and not sentences:
        return mention
    return replace(mention, start=mention.start + chars, stop=mention.stop + chars,
                   sentence_no=mention.sentence_no + sentences)


def shift_acronym(acronym: Acronym, chars: int) -> Acronym:
    """The acronym with all its offsets moved by ``chars``."""
    if not chars:
        return acronym
    return replace(acronym, short_start=acronym.short_start + chars, short_stop=acronym.short_stop + chars,
                   long_start=acronym.long_start + chars, long_stop=acronym.long_stop + chars)


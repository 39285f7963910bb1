"""Attributions: the outlet a text credits, its original source, and direct quotes.

* outlet: «сообщает Lada.kz», «передает РИА Новости», «по сообщению Интерфакса»;
* original source: «со ссылкой на пресс-службу Акорды» (first word put in the nominative);
* quotes: «"...", — сказал Путин», «Как заявил X, "..."», «X заявил: "..."», and the
  answers of an interview (speaker = the answering label).

``evidence`` is the attributed text: the outlet/source phrase, or the quote itself.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from newsetl.extractors.facts.coref import nominative_phrase, post_holder_at, resolve_pronoun
from newsetl.schemas.facts import Attribution, InterviewTurn, Occupation
from newsetl.schemas.records import Mention

_REPORT_VERB = r"(?:сообщает|сообщают|сообщил[аио]?|передает|передаёт|пишет|пишут|информирует)"
_DOMAIN = r"[\w-]+(?:\.[\w-]+)*\.(?:ru|kz|kg|uz|by|ua|com|org|net|info|su|tj|am|az|ge)\b"
_NAME = r"(?:" + _DOMAIN + r"|«[^»\n]{2,60}»|\"[^\"\n]{2,60}\"|[A-ZА-ЯЁ][\w-]*(?:\.[\w-]+)*(?:\s+[A-ZА-ЯЁ][\w-]*(?:\.[\w-]+)*){0,3})"
_OUTLET = re.compile(r"(?:\b" + _REPORT_VERB + r"|[Пп]о\s+(?:сообщению|данным|информации))\s+(?P<name>" + _NAME + ")")
_SOURCE = re.compile(r"\bсо\s+ссылкой\s+на\s+(?P<name>[^,.;:\n()]{3,80}?)(?=\s*(?:[,.;:\n()]|$))")
_SPEECH_VERB = (r"(?:сказал|заявил|отметил|сообщил|подчеркнул|добавил|пояснил|рассказал|написал|заверил|"
                r"признал|указал|констатировал|уточнил|считает|говорит|заявляет|отмечает|подчеркивает|"
                r"подчёркивает)(?:а|и|о)?")
_QUOTE = r"(?:«(?P<q1>[^»\n]{10,})»|\"(?P<q2>[^\"\n]{10,})\"|“(?P<q3>[^”\n]{10,})”)"
_QUOTE_THEN_VERB = re.compile(_QUOTE + r"\s*,?\s*[—–-]\s*(?P<verb>" + _SPEECH_VERB + r")\b")
_LINE_THEN_VERB = re.compile(r"(?m)^(?P<q4>[^\n«»\"]{10,}?),\s*[—–]\s*(?P<verb>" + _SPEECH_VERB + r")\b")
_AS_VERB_QUOTE = re.compile(r"\b[Кк]ак\s+(?P<verb>" + _SPEECH_VERB + r")\s+(?P<who>[^,\n]{2,80}),\s*" + _QUOTE)
_VERB_COLON_QUOTE = re.compile(r"\b(?P<verb>" + _SPEECH_VERB + r")\s*:\s*" + _QUOTE)
_SPEAKER_WINDOW = 80


def _mention_in(mentions: Sequence[Mention], start: int, end: int, types=("ORG", "PER", "LOC")) -> Mention | None:
    return next((m for m in mentions if m.type in types and start <= m.start < end), None)


def _outlets(text: str, mentions: Sequence[Mention]) -> list[Attribution]:
    found = []
    for match in _OUTLET.finditer(text):
        start, end = match.span("name")
        name = text[start:end].strip("«»\"")
        if name != text[start:end]:
            start, end = start + 1, end - 1
        mention = _mention_in(mentions, start, end, ("ORG",))
        found.append(Attribution("outlet", name, mention.key if mention else None, start, end, name))
    return found


def _sources(text: str, mentions: Sequence[Mention]) -> list[Attribution]:
    found = []
    for match in _SOURCE.finditer(text):
        start, end = match.span("name")
        mention = _mention_in(mentions, start, end)
        evidence = text[start:end]
        found.append(Attribution("original_source", nominative_phrase(evidence),
                                 mention.key if mention else None, start, end, evidence))
    return found


def _quote_span(match: re.Match[str]) -> tuple[int, int]:
    group = next(g for g in ("q1", "q2", "q3", "q4") if g in match.re.groupindex and match.group(g))
    return match.span(group)


def _quote(text: str, match: re.Match[str], speaker: Mention | None) -> Attribution | None:
    if speaker is None:
        return None
    start, end = _quote_span(match)
    return Attribution("quote", speaker.normal, speaker.key, start, end, text[start:end])


def _quotes(text: str, mentions: Sequence[Mention], occupations: Sequence[Occupation]) -> list[Attribution]:
    speakers = [m for m in mentions if m.type in ("PER", "ORG")]
    found = []
    for pattern in (_QUOTE_THEN_VERB, _LINE_THEN_VERB):
        for match in pattern.finditer(text):
            after = match.end("verb")
            limit = min(len(text), after + _SPEAKER_WINDOW)
            stop = re.search(r"[.!?\n]", text[after:limit])
            limit = after + stop.start() if stop else limit
            found.append(_quote(text, match, _speaker_after(text, mentions, occupations, match, limit)))
    for match in _AS_VERB_QUOTE.finditer(text):
        found.append(_quote(text, match, _mention_in(speakers, *match.span("who"))))
    for match in _VERB_COLON_QUOTE.finditer(text):
        sentence_start = max(text.rfind(".", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
        before = [m for m in speakers if sentence_start <= m.start < match.start()]
        found.append(_quote(text, match, before[-1] if before else None))
    unique = {}
    for item in found:
        if item is not None:
            unique.setdefault((item.char_start, item.char_end), item)
    return list(unique.values())


def _speaker_after(text: str, mentions: Sequence[Mention], occupations: Sequence[Occupation],
                   match: re.Match[str], limit: int) -> Mention | None:
    """The speaker named after a quote's verb: a person («— заявил глава МИД Сергей Лавров»), else
    the holder of a post («— заявил глава ведомства», see ``coref.post_holder_at``), else a pronoun's
    person («— сказал он»), else an organisation («— сообщили в МВД»)."""
    after = match.end("verb")
    window = [m for m in mentions if after <= m.start < limit]
    person = next((m for m in window if m.type == "PER"), None)
    return (person or post_holder_at(text, mentions, occupations, after, limit, match.group("verb"))
            or _pronoun_speaker(text, mentions, after) or next((m for m in window if m.type == "ORG"), None))


def _pronoun_speaker(text: str, mentions: Sequence[Mention], after: int) -> Mention | None:
    """«…», — сказал он: the person the pronoun right after the speech verb stands for."""
    pronoun = re.match(r"\s+(\w+)", text[after:after + 12])
    return resolve_pronoun(mentions, pronoun.group(1), after) if pronoun else None


def _answers(turns: Sequence[InterviewTurn]) -> list[Attribution]:
    return [Attribution("quote", t.speaker, t.speaker_key, t.char_start, t.char_end, t.text)
            for t in turns if not t.is_question]


def extract_attributions(text: str, mentions: Sequence[Mention], turns: Sequence[InterviewTurn] = (),
                         occupations: Sequence[Occupation] = ()) -> list[Attribution]:
    """Outlet, original-source and quote attributions, in text order.

    ``occupations`` (the document's, from ``extract_occupations``) let a quote's speaker be a post
    with no name beside it: «…», — заявил глава ведомства.
    """
    found = (_outlets(text, mentions) + _sources(text, mentions) + _quotes(text, mentions, occupations)
             + _answers(turns))
    return sorted(found, key=lambda a: (a.char_start, a.kind))

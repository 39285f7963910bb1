"""Interview turns in two styles.

Labelled: paragraphs that start with a speaker label, ``Speaker: ...``.

A turn runs from its label to the next label (over several paragraphs), or to a
trailing footer line.  Only labels used at least twice count, and there must be
at least two of them, so one-off «Образование: ...» field lines are not turns.
The interviewer is the label whose turns end with «?» most often; a label in
quotes (an outlet such as «"Союзники. ОДКБ"») wins a tie.

Dashed: paragraphs that start with «—», «–» or «- », questions (ending with «?»)
alternating with answers.  Questions are spoken by ``INTERVIEWER``; answers by
the one person named before the first turn (title and lead), else ``INTERVIEWEE``.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from newsetl.extractors.facts.structure import LABEL_LINE, is_header_line, paragraphs
from newsetl.schemas.facts import InterviewTurn
from newsetl.schemas.records import Mention

MIN_TURNS_PER_SPEAKER = 2
INTERVIEWER = "корреспондент"
INTERVIEWEE = "собеседник"
MIN_DASHED_QUESTIONS = 2
_DASH_OPENING = re.compile(r"(?:[—–]|-(?=\s))\s*")
_PREAMBLE_PARAGRAPHS = 3
_QUOTES = "\"«»“”„'"


def _label_starts(text: str) -> list[tuple[int, str, int]]:
    """(label start, speaker, turn text start) for every paragraph that opens with a label."""
    found = []
    for start, end in paragraphs(text):
        match = LABEL_LINE.match(text, start, end)
        if match and re.search(r"\d", match.group("label")) is None:
            found.append((start, match.group("label").strip(_QUOTES + " "), match.end()))
    return found


def _turn_end(text: str, start: int, limit: int) -> int:
    """End of a turn's text: the last non-footer paragraph in [start, limit)."""
    for p_start, p_end in reversed(paragraphs(text[start:limit])):
        if not is_header_line(text[start + p_start:start + p_end]):
            return start + p_end
    return start


def _interviewer(turns: Sequence[tuple[str, str]], quoted: set[str]) -> str:
    """The speaker whose turns end with «?» most often (quoted outlet names win ties)."""
    asked: dict[str, list[bool]] = defaultdict(list)
    for speaker, said in turns:
        asked[speaker].append(said.rstrip().endswith("?"))
    return max(asked, key=lambda s: (sum(asked[s]) / len(asked[s]), s in quoted))


def _speaker_key(label_start: int, label_end: int, mentions: Sequence[Mention]) -> str | None:
    """Key of the PER mention inside the label, if any."""
    for m in mentions:
        if m.type == "PER" and label_start <= m.start and m.stop <= label_end:
            return m.key
    return None


def _dashed_starts(text: str) -> list[tuple[int, int]]:
    """(paragraph start, turn text start) for every paragraph that opens with a dash."""
    found = []
    for start, end in paragraphs(text):
        match = _DASH_OPENING.match(text, start, end)
        if match and match.end() < end:
            found.append((start, match.end()))
    return found


def _interviewee(text: str, before: int, mentions: Sequence[Mention]) -> tuple[str, str | None]:
    """(speaker, key) of the one person named in the title/lead before ``before``, else «собеседник»."""
    preamble = paragraphs(text[:before])[:_PREAMBLE_PARAGRAPHS]
    people = {m.key: m for m in mentions if m.type == "PER"
              and any(start <= m.start and m.stop <= end for start, end in preamble)}
    if len(people) != 1:
        return INTERVIEWEE, None
    person = next(iter(people.values()))
    return person.normal, person.key


def _dashed_turns(text: str, mentions: Sequence[Mention]) -> list[InterviewTurn]:
    """Turns of a dash-style interview, or [] unless it opens with a question and has at least
    two questions and two answers (so direct speech in news is not an interview)."""
    starts = _dashed_starts(text)
    spans = []
    for i, (para_start, body_start) in enumerate(starts):
        limit = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        body_end = _turn_end(text, body_start, limit)
        spans.append((body_start, body_end, text[body_start:body_end].rstrip().endswith("?")))
    questions = sum(is_question for _, _, is_question in spans)
    if not spans or not spans[0][2] or questions < MIN_DASHED_QUESTIONS or len(spans) - questions < 2:
        return []
    guest, guest_key = _interviewee(text, starts[0][0], mentions)
    return [
        InterviewTurn(turn_no=n, speaker=INTERVIEWER if is_question else guest,
                      speaker_key=None if is_question else guest_key, is_question=is_question,
                      text=text[start:end], char_start=start, char_end=end)
        for n, (start, end, is_question) in enumerate(spans, start=1)
    ]


def extract_turns(text: str, mentions: Sequence[Mention] = ()) -> list[InterviewTurn]:
    """Question/answer turns of an interview (labelled, else dashed); [] for other texts."""
    return _labelled_turns(text, mentions) or _dashed_turns(text, mentions)


def _labelled_turns(text: str, mentions: Sequence[Mention]) -> list[InterviewTurn]:
    """Turns of a ``Speaker: ...`` interview (see the module doc)."""
    labels = _label_starts(text)
    counts = Counter(speaker for _, speaker, _ in labels)
    speakers = {s for s, n in counts.items() if n >= MIN_TURNS_PER_SPEAKER}
    if len(speakers) < 2:
        return []
    labels = [lab for lab in labels if lab[1] in speakers]
    spans = []
    for i, (label_start, speaker, body_start) in enumerate(labels):
        limit = labels[i + 1][0] if i + 1 < len(labels) else len(text)
        spans.append((label_start, speaker, body_start, _turn_end(text, body_start, limit)))
    quoted = {speaker for start, speaker, _, _ in spans if text[start] in _QUOTES}
    interviewer = _interviewer([(s, text[b:e]) for _, s, b, e in spans], quoted)
    keys: dict[str, str] = {}
    for label_start, speaker, body_start, _ in spans:
        key = _speaker_key(label_start, body_start, mentions)
        if key:
            keys.setdefault(speaker, key)  # a label the NER missed once keeps the speaker's key
    return [
        InterviewTurn(
            turn_no=n,
            speaker=speaker,
            speaker_key=keys.get(speaker),
            is_question=speaker == interviewer,
            text=text[body_start:body_end],
            char_start=body_start,
            char_end=body_end,
        )
        for n, (label_start, speaker, body_start, body_end) in enumerate(spans, start=1)
    ]

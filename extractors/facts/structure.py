"""Document structure: paragraphs, section headings, the lead paragraph and the genre.

A paragraph is a non-blank line (news texts here put one paragraph per line).
A heading is a short standalone paragraph without final punctuation that is
followed by a body paragraph; list items (ending with «;» or «:») never are. A
body paragraph is neither a heading nor a header/footer line, so a section's body
is never empty: of two heading-like lines in a row («Latest News» over «World
Politics Today»), only the second heads a section, and a heading-like line that
only footer lines follow heads none.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from razdel import sentenize

from newsetl.schemas.facts import Genre, InterviewTurn, Lead, Section

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100

_HEADER_LINE = re.compile(r"date\s+\d{4}-\d{2}-\d{2}\b")
_DATE_ONLY_LINE = re.compile(r"(?:\d{1,2}:\d{2}\s*)?\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:\s*\d{1,2}:\d{2})?\s*$")
_TIMESTAMP_PREFIX = re.compile(r"(?:\d{1,2}:\d{2}\s+)?\d{1,2}\.\d{1,2}\.\d{4}(?:\s+\d{1,2}:\d{2})?\s+")
# A speaker/field label: a quoted name or 1-4 capitalised words, then a colon.
LABEL_LINE = re.compile(
    r"(?P<label>\"[^\"\n]{1,60}\"|«[^»\n]{1,60}»|[A-ZА-ЯЁ][\w.\-]*(?:[ \t]+[A-ZА-ЯЁ][\w.\-]*){0,3})[ \t]*:[ \t]+"
)
_FOOTER_LINE = re.compile(r"(?:https?://|www\.)|^(?:Постоянный адрес|Источник|Читайте также|Фото)\b", re.I)
_FINAL_PUNCT = ".!?;:,…"
_INTERVIEW_WORD = re.compile(r"\bинтервью\b", re.I)
_REPORTING_VERB = re.compile(
    r"\b(?:сообщает|сообщают|сообщил[аио]?|передает|передаёт|пишет|информирует|заявил[аи]?)\b", re.I
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of ``text``, stripped of surrounding whitespace."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if not line.strip():
            continue
        start = match.start() + len(line) - len(line.lstrip())
        end = match.end() - (len(line) - len(line.rstrip()))
        spans.append((start, end))
    return spans


def is_header_line(line: str) -> bool:
    """A technical header, a bare date/timestamp, or a footer line (URL, «Источник»)."""
    return bool(_HEADER_LINE.match(line) or _DATE_ONLY_LINE.match(line) or _FOOTER_LINE.search(line))


def is_heading(line: str, next_line: str | None) -> bool:
    """A short capitalised line without final punctuation, followed by a body paragraph."""
    if next_line is None or is_header_line(line) or LABEL_LINE.match(line):
        return False
    words = line.split()
    if not words or len(words) > MAX_HEADING_WORDS or len(line) > MAX_HEADING_CHARS:
        return False
    if not line[0].isupper() or line[-1] in _FINAL_PUNCT or line[-1] in "\"»":
        return False
    return len(next_line) > len(line) or next_line[-1] in _FINAL_PUNCT


def heading_indices(lines: Sequence[str]) -> list[int]:
    """Indices of the heading lines: heading-like lines (never the first) followed by a body paragraph.

    Decided from the last line back, so that whether the next line is itself a
    heading is known; the body, up to the trailing footer lines, is never empty.
    """
    body_end = _end_of_body(lines)
    headings: list[int] = []
    for i in range(body_end - 2, 0, -1):
        next_is_body = not (headings and headings[-1] == i + 1) and not is_header_line(lines[i + 1])
        if next_is_body and is_heading(lines[i], lines[i + 1]):
            headings.append(i)
    return headings[::-1]


def extract_sections(text: str) -> list[Section]:
    """Headed sections, numbered from 1; a body runs until the next heading or the trailing footer lines."""
    paras = paragraphs(text)
    lines = [text[s:e] for s, e in paras]
    heading_ids = heading_indices(lines)
    sections = []
    for n, i in enumerate(heading_ids, start=1):
        body_end_para = heading_ids[n] if n < len(heading_ids) else _end_of_body(lines)
        start, end = paras[i]
        sections.append(Section(
            section_no=n,
            heading=text[start:end],
            char_start=start,
            char_end=end,
            body_start=paras[i + 1][0],
            body_end=paras[body_end_para - 1][1],
            para_start=i + 1,
            para_end=body_end_para,
        ))
    return sections


def _end_of_body(lines: Sequence[str]) -> int:
    """Index after the last paragraph that is not a trailing footer line."""
    end = len(lines)
    while end > 0 and is_header_line(lines[end - 1]):
        end -= 1
    return end


def extract_lead(text: str) -> Lead | None:
    """The first body paragraph, a leading timestamp («22:07 30.01.2026 ») cut off."""
    paras = paragraphs(text)
    lines = [text[s:e] for s, e in paras]
    for i, ((start, end), line) in enumerate(zip(paras, lines)):
        if is_header_line(line) or LABEL_LINE.match(line):
            continue
        if is_heading(line, lines[i + 1] if i + 1 < len(lines) else None) and i > 0:
            continue
        prefix = _TIMESTAMP_PREFIX.match(line)
        if prefix:
            start += prefix.end()
        if len(text[start:end].split()) < 5:
            continue
        return Lead(text=text[start:end], char_start=start, char_end=end)
    return None


def detect_genre(text: str, turns: Sequence[InterviewTurn]) -> Genre:
    """``interview`` when the text has question/answer turns, else ``news``.

    The evidence is the word «интервью» (or the first question turn) for an
    interview, and the reporting phrase («сообщает ...») or the lead's first
    sentence for news.
    """
    if any(t.is_question for t in turns) and any(not t.is_question for t in turns):
        word = _INTERVIEW_WORD.search(text)
        if word:
            return Genre("interview", word.group(), word.start(), word.end())
        first = next(t for t in turns if t.is_question)
        return Genre("interview", first.text, first.char_start, first.char_end)
    verb = _REPORTING_VERB.search(text)
    if verb:
        return Genre("news", verb.group(), verb.start(), verb.end())
    lead = extract_lead(text)
    if lead:
        start, end = _first_sentence(text, lead)
        return Genre("news", text[start:end], start, end)
    return Genre("news", "", 0, 0)


def _first_sentence(text: str, lead: Lead) -> tuple[int, int]:
    """Offsets of the lead's first sentence (a long one-paragraph text is not evidence)."""
    first = next(iter(sentenize(lead.text)), None)
    if first is None:
        return lead.char_start, lead.char_end
    return lead.char_start + first.start, lead.char_start + first.stop

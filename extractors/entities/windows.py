"""Bounded windows of a long text, so that the analysis needs memory independent of its size.

A window is a half-open character range [start, stop) of the text of at most ``limit``
characters.  Windows follow each other without gaps and cover the whole text.  A window
ends after the last line break that fits; a line longer than the limit is cut after the
last sentence end that fits («. » «! » «? » «… », closing quotes allowed), else at the
last whitespace, else at the limit itself (a text with no space at all).  Within a
window, the NER tagger sees one paragraph at a time (:func:`paragraph_ranges`), so what
it finds in a paragraph does not depend on the paragraphs around it.
"""
from __future__ import annotations

import re
from typing import Iterator

DEFAULT_WINDOW_CHARS = 20_000
SPACES = (" ", "\t", "\r", "\u00a0", "\u2009", "\u202f", "\x0b", "\x0c")
SENTENCE_END = re.compile(r"[.!?…][»”\"')\]]*\s")


def text_windows(text: str, limit: int = DEFAULT_WINDOW_CHARS) -> Iterator[tuple[int, int]]:
    """Consecutive (start, stop) ranges covering ``text``, each at most ``limit`` characters."""
    if limit < 2:
        raise ValueError("a window holds at least two characters")
    start = 0
    while start < len(text):
        stop = min(start + limit, len(text))
        if stop < len(text):
            stop = start + _cut(text[start:stop])
        yield start, stop
        start = stop


def _cut(piece: str) -> int:
    """Where to end a window over ``piece`` (a full-length prefix of the rest of the text)."""
    newline = piece.rfind("\n")
    if newline > 0:
        return newline + 1
    ends = [m.end() for m in SENTENCE_END.finditer(piece, len(piece) // 2)]
    if ends:
        return ends[-1]
    space = max(piece.rfind(mark) for mark in SPACES)
    return space + 1 if space > 0 else len(piece)


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """(start, stop) of each paragraph of ``text``: a run of lines with something other than
    whitespace on them, up to a blank line; without the line breaks around it."""
    ranges, start, paragraph_start, paragraph_stop = [], 0, None, 0
    for line in text.split("\n"):
        stop = start + len(line)
        if line.strip():
            if paragraph_start is None:
                paragraph_start = start
            paragraph_stop = stop
        elif paragraph_start is not None:
            ranges.append((paragraph_start, paragraph_stop))
            paragraph_start = None
        start = stop + 1
    if paragraph_start is not None:
        ranges.append((paragraph_start, paragraph_stop))
    return ranges

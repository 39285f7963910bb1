"""Bytes → text: detect binary and empty input, pick the right Russian encoding.

UTF-8 (with or without BOM) is tried first. Input that is UTF-8 but for a few
stray bytes (well-formed Russian around them) is read as UTF-8 with those bytes
replaced by U+FFFD. Otherwise the legacy Cyrillic code pages (cp1251, koi8-r, cp866) are compared by how Russian the
decoded text looks. Generic charset detectors confuse cp1251 and koi8-r on short
texts: the two hold the same letters with lower and upper case swapped and the
alphabet permuted, so a letter-frequency and letter-case score separates them
reliably. charset-normalizer handles everything that is not Cyrillic.
"""
from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

BINARY_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"%PDF-",
    b"PK\x03\x04",  # zip, docx, xlsx
    b"\x1f\x8b",  # gzip that was not named .gz
    b"\x7fELF",
)
# Share of control bytes (other than tab, newlines, form feed) above which input is binary.
MAX_CONTROL_BYTE_SHARE = 0.02
BINARY_SNIFF_BYTES = 64 * 1024
CYRILLIC_CODEPAGES = ("cp1251", "koi8-r", "cp866")
# Input that fails strict UTF-8 is still UTF-8 when its invalid bytes are under this
# share of all bytes, or when its valid Cyrillic letters outnumber them this many times
# (short lines), and the Cyrillic reads like Russian (see russian_score; prose ≈ -3).
MAX_INVALID_UTF8_SHARE = 0.01
MIN_CYRILLIC_LETTERS_PER_INVALID_BYTE = 10
MIN_RUSSIAN_SCORE_OF_UTF8 = -4.5
# "surrogateescape" turns each byte that is not valid UTF-8 into one of these.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")

# Relative frequency (per cent) of letters in Russian prose.
RUSSIAN_LETTER_FREQUENCY = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47,
    "р": 4.73, "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81,
    "у": 2.62, "я": 2.01, "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59,
    "ч": 1.44, "й": 1.21, "х": 0.97, "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48,
    "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04, "ё": 0.04,
}
_LOG_FREQUENCY = {letter: math.log(share / 100) for letter, share in RUSSIAN_LETTER_FREQUENCY.items()}
_UNKNOWN_LETTER_LOG_FREQUENCY = math.log(0.0001)
# A lowercase Cyrillic letter directly followed by an uppercase one ("пРИВЕТ"):
# the typical trace of reading cp1251 as koi8-r or the reverse.
_CASE_FLIP = re.compile(r"[а-яё][А-ЯЁ]")
_CYRILLIC_LETTER = re.compile(r"[А-Яа-яЁё]")
RUSSIAN_TYPOGRAPHY = frozenset("«»„“”‘’‚—–‑…№§°±×·•€\u00a0\u202f\u2009\u200b\u00ad")
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D} | {0x7F}


class DecodeError(Exception):
    """Raw bytes that cannot become text; ``reason_code`` is "empty", "binary" or "undecodable"."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the (normalised) name of the encoding it was read with."""

    text: str
    encoding: str


def decode_bytes(raw: bytes) -> Decoded:
    """Decode raw input bytes to text, raising :class:`DecodeError` for empty or binary input."""
    if not raw.strip():
        raise DecodeError("empty", "the input is empty (no bytes or only whitespace)")
    check_not_binary(raw)
    decoded = _decode_unicode(raw) or _decode_mostly_utf8(raw) or _decode_legacy(raw)
    if not decoded.text.strip():
        raise DecodeError("empty", f"the input holds only whitespace ({decoded.encoding})")
    return decoded


def check_not_binary(raw: bytes) -> None:
    """Raise DecodeError("binary") for bytes that look like a binary file, not text."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    for signature in BINARY_SIGNATURES:
        if raw.startswith(signature):
            raise DecodeError("binary", f"the input is a binary file (starts with {signature[:4]!r})")
    sample = raw[:BINARY_SNIFF_BYTES]
    if b"\x00" in sample:
        raise DecodeError("binary", "the input is binary (it contains NUL bytes)")
    control = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if control / len(sample) > MAX_CONTROL_BYTE_SHARE:
        raise DecodeError(
            "binary", f"the input is binary ({control} control bytes in the first {len(sample)} bytes)"
        )


def _decode_unicode(raw: bytes) -> Decoded | None:
    """Decode input marked or valid as UTF-8 (or marked as UTF-16); None when it is neither."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(raw.decode("utf-8-sig"), "utf-8-sig")
        except UnicodeDecodeError:
            return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
        if not looks_like_text(text):
            raise DecodeError("binary", "the input is binary: it starts with a UTF-16 mark but does not decode to text")
        return Decoded(text, "utf-16")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return None


_TEXT_CHAR = re.compile(r"[\sA-Za-zА-Яа-яЁё0-9.,;:!?«»\"'()\-–—%№/]")
MIN_TEXT_CHAR_SHARE = 0.6


def looks_like_text(text: str) -> bool:
    """Whether decoded text is mostly letters, digits, spaces and punctuation of Latin/Cyrillic
    prose (bytes misread as UTF-16 turn into runs of CJK or other unrelated characters)."""
    sample = text[:4000]
    return bool(sample) and len(_TEXT_CHAR.findall(sample)) >= MIN_TEXT_CHAR_SHARE * len(sample)


def _decode_mostly_utf8(raw: bytes) -> Decoded | None:
    """UTF-8 with a few stray bytes, each replaced by U+FFFD; None when the input is not that.

    A legacy code page read as UTF-8 yields almost no valid Cyrillic (its letters
    are invalid UTF-8 sequences), so well-scoring Cyrillic around few invalid bytes
    means UTF-8 with damage, not cp1251 or koi8-r.
    """
    text = raw.decode("utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8", "surrogateescape")
    n_invalid = len(_ESCAPED_BYTE.findall(text))
    if n_invalid == 0:
        return None
    text = _ESCAPED_BYTE.sub("\ufffd", text)
    n_cyrillic = len(_CYRILLIC_LETTER.findall(text))
    few_invalid = (
        n_invalid < MAX_INVALID_UTF8_SHARE * len(raw)
        or n_cyrillic >= MIN_CYRILLIC_LETTERS_PER_INVALID_BYTE * n_invalid
    )
    if n_cyrillic == 0 or not few_invalid or russian_score(text) < MIN_RUSSIAN_SCORE_OF_UTF8:
        return None
    return Decoded(text, f"utf-8 (replaced {n_invalid} invalid {'byte' if n_invalid == 1 else 'bytes'})")


def _decode_legacy(raw: bytes) -> Decoded:
    """Decode non-UTF-8 bytes: the most Russian-looking Cyrillic code page, else charset-normalizer's guess."""
    cyrillic: dict[str, str] = {}
    for encoding in CYRILLIC_CODEPAGES:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_cyrillic(text):
            cyrillic[encoding] = text
    if cyrillic:
        encoding = max(cyrillic, key=lambda enc: russian_score(cyrillic[enc]))
        return Decoded(cyrillic[encoding], encoding)
    best = from_bytes(raw).best()
    if best is not None:
        encoding = canonical_encoding_name(best.encoding)
        try:
            return Decoded(raw.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise DecodeError("undecodable", "the input is neither UTF-8 nor a recognisable legacy encoding")


def canonical_encoding_name(name: str) -> str:
    """Python's canonical spelling of an encoding name ("koi8_r" → "koi8-r", "windows-1251" → "cp1251")."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def looks_cyrillic(text: str) -> bool:
    """True when at least half of the letters in ``text`` are Cyrillic."""
    letters = sum(1 for char in text if char.isalpha())
    return letters > 0 and len(_CYRILLIC_LETTER.findall(text)) * 2 >= letters


def russian_score(text: str) -> float:
    """How much ``text`` reads like Russian; the right Cyrillic decoding of some bytes scores highest.

    The score is the mean log frequency of its Russian letters, minus penalties
    for uppercase letters (wrong code pages swap the case), for case flips
    inside words ("пРИВЕТ") and for characters Russian prose does not use
    (box drawing, Serbian letters), all measured per Cyrillic letter.
    Correctly decoded Russian prose scores around -3.
    """
    letters = _CYRILLIC_LETTER.findall(text)
    if not letters:
        return float("-inf")
    n_letters = len(letters)
    mean_log_frequency = sum(
        _LOG_FREQUENCY.get(letter.lower(), _UNKNOWN_LETTER_LOG_FREQUENCY) for letter in letters
    ) / n_letters
    uppercase_share = sum(1 for letter in letters if letter.isupper()) / n_letters
    case_flip_share = len(_CASE_FLIP.findall(text)) / n_letters
    odd_share = sum(1 for char in text if _is_odd_for_russian(char)) / n_letters
    return mean_log_frequency - 0.5 * uppercase_share - 2.0 * case_flip_share - 5.0 * odd_share


def _is_odd_for_russian(char: str) -> bool:
    """True for a non-ASCII character that is neither a Russian letter, usual Russian typography nor U+FFFD."""
    return (
        char > "\x7f" and not _CYRILLIC_LETTER.match(char) and char not in RUSSIAN_TYPOGRAPHY and char != "\ufffd"
    )

"""Untrusted names as valid text, and the URLs a document may keep.

File names are bytes on Linux: Python hands over the ones that are not UTF-8 with "surrogateescape"
characters, which cannot be stored as UTF-8. :func:`safe_text` writes every such byte as ``\\xNN``
and every control character as ``\\xNN`` too, so the result is printable, valid text, and the same
name always gives the same text.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

ALLOWED_URL_SCHEMES = ("http", "https")
# C0 controls, DEL, and surrogates (escaped bytes of a non-UTF-8 name, or lone surrogates from JSON).
_UNSAFE_CHARACTER = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


def safe_text(text: str) -> str:
    """``text`` with escaped bytes and control characters written as ``\\xNN`` (other surrogates ``\\uNNNN``)."""
    return _UNSAFE_CHARACTER.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    """The printable escape of one unsafe character."""
    code = ord(match.group())
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def http_url(url: str | None) -> tuple[str | None, str | None]:
    """``(url, None)`` for an absolute http(s) URL with a host; ``(None, warning)`` for any other value.

    The warning names the rejected scheme, never the URL itself (it may be a ``javascript:`` payload).
    """
    if url is None:
        return None, None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None, "url_dropped: not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_URL_SCHEMES:
        shown = safe_text(scheme[:20]) if scheme else "none"
        return None, f"url_dropped: scheme {shown!r} is not http or https"
    if not host:
        return None, "url_dropped: the URL has no host"
    return url.strip(), None

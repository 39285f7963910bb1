"""The language of a text, by py3langid, with its model kept decompressed in the user cache.

py3langid reads its model from an LZMA-compressed file in every process (≈ 0.5 s of CPU per
analysis worker, on the critical path of a first run); the built identifier is pickled into the
user cache (:mod:`newsetl.extractors.cached`) under a name that changes with py3langid's version
and model file, and read back in ≈ 0.07 s.
"""
from __future__ import annotations

from functools import cache
from importlib.metadata import version
from pathlib import Path

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from newsetl.config import cache_dir
from newsetl.extractors.cached import load_or_build

# Characters of a text's start that decide its language: enough for news, bounded for long texts.
LANGUAGE_SAMPLE_CHARS = 5000


def model_path() -> Path:
    """py3langid's packaged model file."""
    return MODEL_DIR / MODEL_FILE


def cache_path() -> Path:
    """The cache file of the identifier: named after py3langid's version and its model's size."""
    return cache_dir() / f"langid-{version('py3langid')}-{model_path().stat().st_size}.pickle"


def build_identifier() -> LanguageIdentifier:
    """py3langid's identifier with its default settings, as ``py3langid.classify`` uses it."""
    return LanguageIdentifier.from_model_file(model_path())


@cache
def identifier() -> LanguageIdentifier:
    """The identifier, from the user cache or built on first use; kept for the life of the process."""
    return load_or_build(cache_path(), build_identifier, LanguageIdentifier, replaces="langid-*.pickle")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (unreliable for a few words); None for a blank text."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    return identifier().classify(sample)[0] if sample.strip() else None

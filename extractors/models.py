"""Every NLP model the extractors use, loaded once per process: Natasha's bundled models
(segmenter, morphology, NER, syntax over the navec embedding) and the pymorphy3 analyser."""
from __future__ import annotations

from functools import cache


@cache
def morph():
    """The pymorphy3 morphological analyser (OpenCorpora tags), shared by every extractor."""
    from pymorphy3 import MorphAnalyzer  # deferred: loading the dictionaries takes a second

    return MorphAnalyzer()


@cache
def natasha():
    """Natasha's segmenter, morph tagger, NER tagger and syntax parser (one shared embedding)."""
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter  # deferred: heavy

    embedding = NewsEmbedding()
    return Segmenter(), NewsMorphTagger(embedding), NewsNERTagger(embedding), NewsSyntaxParser(embedding)

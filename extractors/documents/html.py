"""HTML page → main text and metadata.

trafilatura finds the main text (``bare_extraction`` with metadata); BeautifulSoup
reads the declared metadata (canonical URL, Open Graph / schema.org tags, JSON-LD)
and supplies the main text when trafilatura finds none. The publication date is
only taken from what the page declares (date meta tags, JSON-LD ``datePublished``,
the article's ``<time datetime>``), never guessed from dates in the text. A page whose only text is
navigation (menus of links) has no main text: :func:`clean_html` returns None.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from bs4 import BeautifulSoup
from trafilatura import bare_extraction

from newsetl.extractors.documents.plaintext import normalize_line

# Page regions that never hold the article text; pruned before extraction.
BOILERPLATE_XPATHS = [
    "//nav",
    "//footer",
    "//aside",
    "//menu",
    "//form",
    "//noscript",
    "//*[@role='navigation']",
    "//*[@role='banner']",
    "//*[@role='contentinfo']",
]
BOILERPLATE_TAGS = [
    "script", "style", "noscript", "template", "nav", "footer", "aside", "header", "menu", "form", "iframe", "svg",
]
# Meta tags holding the publication date, most specific first: (attribute, value).
PUBLISHED_META = [
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("property", "og:published_time"),
    ("property", "og:article:published_time"),
    ("name", "pubdate"),
    ("name", "publish-date"),
    ("name", "publish_date"),
    ("name", "parsely-pub-date"),
    ("name", "DC.date.issued"),
    ("name", "dcterms.created"),
    ("name", "date"),
    ("itemprop", "dateCreated"),
]
# <time datetime> elements that date the article itself (not a clock, a comment or a related link).
PUBLISHED_TIME_SELECTORS = (
    "time[itemprop~=datePublished][datetime]",
    "time[pubdate][datetime]",
    "article header time[datetime]",
)
# schema.org types whose datePublished is the page's publication date.
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
    "BlogPosting", "LiveBlogPosting", "Report", "ScholarlyArticle", "TechArticle", "SocialMediaPosting",
})
# Dates before this year are placeholders ("0001-01-01") or errors, not publication dates.
MIN_PUBLISHED_YEAR = 1800
# A date string with a time of day ("2026-01-28T11:00", "2026-01-28 11:00").
_HAS_TIME_OF_DAY = re.compile(r"\d[T ]\d{1,2}:\d{2}")
LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")
_WORD = re.compile(r"\w+")
# lxml refuses a str that still declares its byte encoding.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(slots=True)
class HtmlDoc:
    """Main text of an HTML page (paragraphs separated by a blank line) and its metadata."""

    title: str | None
    author: str | None
    published_at: datetime | None
    site_name: str | None
    url: str | None
    description: str | None
    body: str


def quiet_library_loggers() -> None:
    """Keep trafilatura & co. from logging warnings for ordinary pages, unless logging was configured for them."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.ERROR)


quiet_library_loggers()


def clean_html(html: str, url: str | None = None) -> HtmlDoc | None:
    """Extract the main text and metadata of an HTML page; None when it has no main text."""
    if not html.strip():
        return None
    soup = BeautifulSoup(html, "lxml")
    extracted = _trafilatura_extract(html, url)
    anchor_texts = _anchor_texts(soup)
    body = _paragraphs(extracted.text) if extracted is not None and extracted.text else ""
    if _is_navigation_only(body, anchor_texts):
        body = _fallback_main_text(soup)
        if _is_navigation_only(body, anchor_texts):
            return None

    page_url = _canonical_url(soup, url) or url
    return HtmlDoc(
        title=_first(getattr(extracted, "title", None), _meta(soup, ("property", "og:title")), _title_tag(soup)),
        author=_first(getattr(extracted, "author", None), _meta(soup, ("name", "author"))),
        published_at=declared_published_at(soup),
        site_name=_first(_meta(soup, ("property", "og:site_name")), getattr(extracted, "sitename", None)),
        url=page_url,
        description=_first(
            _meta(soup, ("property", "og:description")),
            getattr(extracted, "description", None),
            _meta(soup, ("name", "description")),
        ),
        body=body,
    )


def parse_iso_datetime(value: str) -> datetime | None:
    """An ISO 8601 date or datetime as a naive datetime, converted to UTC when it has a zone.

    None if unparseable or before :data:`MIN_PUBLISHED_YEAR`.
    """
    try:
        parsed = datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return None
    return plausible_naive_utc(parsed)


def plausible_naive_utc(moment: datetime) -> datetime | None:
    """``moment`` as a naive datetime (in UTC when it has a zone); None before MIN_PUBLISHED_YEAR."""
    if moment.year < MIN_PUBLISHED_YEAR:
        return None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:
            return None
    return moment


def declared_published_at(soup: BeautifulSoup) -> datetime | None:
    """The publication date the page declares: meta tags, else JSON-LD, else the article's <time>.

    When the first declared date has no time of day and a later one gives the
    same day with a time, the later, more precise one is used. None without any.
    """
    declared = [
        (value, parsed)
        for value in _declared_date_values(soup)
        if (parsed := parse_iso_datetime(value)) is not None
    ]
    if not declared:
        return None
    first_value, first = declared[0]
    if _HAS_TIME_OF_DAY.search(first_value):
        return first
    same_day_with_time = (
        parsed for value, parsed in declared[1:]
        if _HAS_TIME_OF_DAY.search(value) and value.strip()[:10] == first_value.strip()[:10]
    )
    return next(same_day_with_time, first)


def _declared_date_values(soup: BeautifulSoup) -> Iterator[str]:
    """Publication date strings the page declares, most trusted first."""
    for attribute_value in PUBLISHED_META:
        content = _meta(soup, attribute_value)
        if content:
            yield content
    yield from json_ld_published_dates(soup)
    for selector in PUBLISHED_TIME_SELECTORS:
        for tag in soup.select(selector):
            value = tag.get("datetime")
            if isinstance(value, str) and value.strip():
                yield value.strip()


def json_ld_published_dates(soup: BeautifulSoup) -> list[str]:
    """``datePublished`` values of the page's JSON-LD nodes, those of article types first."""
    article_dates: list[str] = []
    other_dates: list[str] = []
    for script in soup.find_all("script", type=lambda kind: kind and kind.strip().lower() == "application/ld+json"):
        for node in _json_ld_nodes(_load_json_ld(script.string or "")):
            value = node.get("datePublished")
            if isinstance(value, list):
                value = next((item for item in value if isinstance(item, str)), None)
            if isinstance(value, str) and value.strip():
                (article_dates if _is_article_node(node) else other_dates).append(value.strip())
    return article_dates + other_dates


def _load_json_ld(text: str):
    """The JSON value of a JSON-LD script (control characters inside strings allowed); None if invalid."""
    try:
        return json.loads(text.strip().removeprefix("<!--").removesuffix("-->"), strict=False)
    except ValueError:
        return None


def _json_ld_nodes(value) -> Iterator[dict]:
    """Every JSON object in a JSON-LD value, depth-first in document order (through lists and @graph)."""
    if isinstance(value, list):
        for item in value:
            yield from _json_ld_nodes(item)
    elif isinstance(value, dict):
        yield value
        for child in value.values():
            if isinstance(child, (dict, list)):
                yield from _json_ld_nodes(child)


def _is_article_node(node: dict) -> bool:
    """True when a JSON-LD node's @type is an article type."""
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind.rsplit("/", 1)[-1] in ARTICLE_TYPES for kind in kinds)


def _trafilatura_extract(html: str, url: str | None):
    """trafilatura's main-text extraction with metadata, or None (also when the markup does not parse).

    The page is parsed with lxml first: trafilatura then skips its own loading
    heuristics, which log errors for empty or fragmentary pages.
    """
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (ValueError, lxml.etree.ParserError):
        return None
    try:
        return bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            prune_xpath=BOILERPLATE_XPATHS,
            # The date comes from declared metadata (declared_published_at); keep htmldate from searching the text.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # noqa: BLE001 - a page trafilatura chokes on falls back to BeautifulSoup
        return None


def _paragraphs(text: str) -> str:
    """Text with each non-blank line as a paragraph, paragraphs separated by a blank line."""
    return "\n\n".join(line for line in map(normalize_line, text.splitlines()) if line)


def _anchor_texts(soup: BeautifulSoup) -> set[str]:
    """Normalised texts of the page's links."""
    return {normalize_line(a.get_text(" ")) for a in soup.find_all("a")} - {""}


def _is_navigation_only(body: str, anchor_texts: set[str]) -> bool:
    """True when ``body`` has no words outside link labels and separators (a menu, not an article)."""
    return not any(_has_words_beyond_links(paragraph, anchor_texts) for paragraph in body.split("\n\n"))


def _has_words_beyond_links(paragraph: str, anchor_texts: set[str]) -> bool:
    """True when words remain in ``paragraph`` once the page's link labels are taken out of it."""
    if not _WORD.search(paragraph):
        return False
    if paragraph in anchor_texts:
        return False
    for anchor in sorted((a for a in anchor_texts if a in paragraph), key=len, reverse=True):
        paragraph = paragraph.replace(anchor, " ")
    return _WORD.search(paragraph) is not None


def _fallback_main_text(soup: BeautifulSoup) -> str:
    """Main text by BeautifulSoup: paragraph elements, else the body text, without boilerplate regions."""
    body = soup.body or soup
    for tag in body.find_all(BOILERPLATE_TAGS):
        tag.decompose()
    paragraphs = [normalize_line(p.get_text(" ")) for p in body.find_all("p")]
    if not any(paragraphs):
        paragraphs = [normalize_line(line) for line in body.get_text("\n").splitlines()]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _meta(soup: BeautifulSoup, attribute_value: tuple[str, str]) -> str | None:
    """Content of the first ``<meta attribute=value content=...>`` tag, stripped; None if absent or empty."""
    attribute, value = attribute_value
    tag = soup.find("meta", attrs={attribute: value})
    content = tag.get("content") if tag is not None else None
    return (normalize_line(content) or None) if isinstance(content, str) else None


def _title_tag(soup: BeautifulSoup) -> str | None:
    """Text of the ``<title>`` element."""
    return (normalize_line(soup.title.get_text()) or None) if soup.title is not None else None


def _canonical_url(soup: BeautifulSoup, base_url: str | None) -> str | None:
    """The absolute canonical URL the page declares (``link rel=canonical`` or ``og:url``)."""
    link = soup.find("link", rel=lambda rel: rel is not None and "canonical" in rel)
    for candidate in (link.get("href") if link is not None else None, _meta(soup, ("property", "og:url"))):
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        absolute = urljoin(base_url, candidate.strip()) if base_url else candidate.strip()
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return None


def _first(*values: str | None) -> str | None:
    """The first non-empty value."""
    return next((value for value in values if value), None)

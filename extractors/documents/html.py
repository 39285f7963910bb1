"""HTML page → main text and metadata.

trafilatura finds the main text (``bare_extraction`` with metadata) with its own
defaults — the same text ``trafilatura.extract(html, include_comments=False,
include_tables=True)`` gives: the page is parsed exactly as trafilatura parses it
(comments and processing instructions dropped, so text after an HTML comment is
kept) and nothing is pruned before trafilatura's own, guarded cleaning.
BeautifulSoup reads the declared metadata (canonical URL, Open Graph / schema.org
tags, JSON-LD) and supplies the main text when trafilatura finds none. The
publication date is only taken from what the page declares (date meta tags, JSON-LD
``datePublished``, the article's ``<time datetime>``), never guessed from dates in
the text. A page whose only text is navigation (menus of links) has no main text:
:func:`clean_html` returns None.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from newsetl.extractors.documents.plaintext import normalize_line

if TYPE_CHECKING:  # imported where used: they cost the ingest's main process, which cleans no page, 0.3 s
    from bs4 import BeautifulSoup
    from trafilatura.metadata import Document

# Page regions that never hold the article text, pruned before extraction: trafilatura's own cleaning
# drops most of them but its fallback extractors bring their links back on short pages. Each is pruned
# only while it holds at most MAX_BOILERPLATE_TEXT_SHARE of the page's text: some pages wrap the whole
# article in one (an ASP.NET <form>, role=contentinfo, a <noscript> copy of a script-built page).
BOILERPLATE_XPATH = lxml.etree.XPath(" | ".join([
    "//nav", "//footer", "//aside", "//menu", "//form", "//noscript",
    "//*[@role='navigation']", "//*[@role='banner']", "//*[@role='contentinfo']",
]))
# Elements the BeautifulSoup fallback drops, unless one holds most of the page's text (an ASP.NET
# page wraps everything in a <form>).
BOILERPLATE_TAGS = [
    "script", "style", "noscript", "template", "nav", "footer", "aside", "header", "menu", "form", "iframe", "svg",
]
# A boilerplate element holding more than this share of the page's text is the page, not boilerplate.
MAX_BOILERPLATE_TEXT_SHARE = 0.5
# Parsed as trafilatura parses a page (trafilatura.utils.HTML_PARSER): an HTML comment left in the
# tree makes trafilatura drop the text that follows it.
_HTML_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True)
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
# A link label of this many words can be a sentence the article also prints; shorter ones are menu items.
MIN_SENTENCE_LABEL_WORDS = 4
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
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    extracted, main_text = _trafilatura_extract(html, url)
    link_only = _link_only_texts(soup)
    body = _paragraphs(main_text)
    if _is_navigation_only(body, link_only):
        body = _fallback_main_text(soup)
        if _is_navigation_only(body, link_only):
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


def _trafilatura_extract(html: str, url: str | None) -> tuple[Document | None, str]:
    """trafilatura's metadata of the page (None if unreadable) and its main text ("" if none).

    The main text is trafilatura's with its default settings, comments out and
    tables in. The page is parsed here, with trafilatura's own parser settings, so
    that an empty or fragmentary page gives nothing quietly instead of trafilatura
    logging errors about it. Metadata is read before the boilerplate regions are
    pruned: an author or a site name may sit in a footer or a sidebar.
    """
    from trafilatura import bare_extraction
    from trafilatura.metadata import extract_metadata

    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1), parser=_HTML_PARSER)
    except (ValueError, lxml.etree.ParserError):
        return None, ""
    try:
        # The date comes from declared metadata (declared_published_at); keep htmldate from searching the text.
        metadata = extract_metadata(tree, url, {"extensive_search": False, "original_date": True}, False)
    except Exception:  # noqa: BLE001 - metadata the BeautifulSoup readers then supply
        metadata = None
    _prune_small_boilerplate(tree)
    try:
        main = bare_extraction(tree, url=url, include_comments=False, include_tables=True)
    except Exception:  # noqa: BLE001 - a page trafilatura chokes on falls back to BeautifulSoup
        main = None
    return metadata, (main.text or "") if main is not None else ""


def _prune_small_boilerplate(tree: lxml.html.HtmlElement) -> None:
    """Remove the BOILERPLATE_XPATH regions that hold little of the page's text (their tail text stays)."""
    page_chars = len(tree.text_content())
    for element in BOILERPLATE_XPATH(tree):
        if element.getparent() is not None and len(element.text_content()) <= MAX_BOILERPLATE_TEXT_SHARE * page_chars:
            element.drop_tree()


def _paragraphs(text: str) -> str:
    """Text with each non-blank line as a paragraph, paragraphs separated by a blank line."""
    return "\n\n".join(line for line in map(normalize_line, text.splitlines()) if line)


def _link_only_texts(soup: BeautifulSoup) -> set[str]:
    """Normalised labels of the page's links that the page never shows outside a link.

    A headline linked from a «read also» block is no menu label when the article
    prints the same words as plain text.
    """
    anchors = {normalize_line(a.get_text(" ")) for a in soup.find_all("a")} - {""}
    sentences = {label for label in anchors if len(_WORD.findall(label)) >= MIN_SENTENCE_LABEL_WORDS}
    if not sentences:
        return anchors
    outside = _text_outside_links(soup)
    return {label for label in anchors if label not in sentences or label not in outside}


def _text_outside_links(soup: BeautifulSoup) -> str:
    """The page's visible text with every link's text left out, one text node per line."""
    nodes = (
        node for node in soup.find_all(string=True)
        if node.find_parent("a") is None and node.parent.name not in ("script", "style", "title", "template")
    )
    return "\n".join(filter(None, (normalize_line(str(node)) for node in nodes)))


def _is_navigation_only(body: str, link_only: set[str]) -> bool:
    """True when ``body`` has no words outside link labels and separators (a menu, not an article)."""
    return not any(_has_words_beyond_links(paragraph, link_only) for paragraph in body.split("\n\n"))


def _has_words_beyond_links(paragraph: str, link_only: set[str]) -> bool:
    """True when words remain in ``paragraph`` once the page's link labels are taken out of it."""
    if not _WORD.search(paragraph):
        return False
    if paragraph in link_only:
        return False
    for anchor in sorted((a for a in link_only if a in paragraph), key=len, reverse=True):
        paragraph = paragraph.replace(anchor, " ")
    return _WORD.search(paragraph) is not None


def _fallback_main_text(soup: BeautifulSoup) -> str:
    """Main text by BeautifulSoup: paragraph elements, else the body text, without boilerplate regions."""
    body = soup.body or soup
    page_chars = len(body.get_text())
    for tag in body.find_all(BOILERPLATE_TAGS):
        if not tag.decomposed and len(tag.get_text()) <= MAX_BOILERPLATE_TEXT_SHARE * page_chars:
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

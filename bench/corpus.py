"""A deterministic benchmark corpus built from the repository's own texts.

The base set is the 122 factRuEval texts (JSONL records), the two seed texts (.txt) and the four
sample web pages (.html): 128 documents in the proportions the repository holds them. A corpus of
``n_docs`` documents cycles through the base set in a fixed order; copy ``k`` of a base document
gets its own id (JSONL ``id`` or file name) and a one-line edition marker in its text, so every
document is new to the warehouse (distinct content hash) rather than a duplicate of another copy.
The same ``n_docs`` always yields byte-identical files.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FACTRU_DOCUMENTS = REPO / "tests" / "data" / "factru-dev" / "documents.jsonl"
SEEDS_DIR = REPO / "samples" / "seeds"
HTML_DIR = REPO / "samples" / "html"

# The marker goes into the longest paragraph (body text, which the HTML cleaner and the plain-text
# parser keep), so the cleaned text, and its content hash, differs between copies.
_HTML_PARAGRAPH = re.compile(r"<p[\s>].*?</p>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class BaseDocument:
    """One document of the base set: its format ("jsonl", "txt" or "html"), name and content."""

    fmt: str
    name: str
    content: str | dict


@dataclass(frozen=True)
class CorpusInfo:
    """What :func:`build_corpus` wrote: the folder, the document count per format, total bytes."""

    folder: Path
    n_docs: int
    by_format: dict[str, int]
    n_bytes: int


def base_documents() -> list[BaseDocument]:
    """The repository's texts in a fixed order: factRuEval records, seed texts, HTML pages."""
    docs = [BaseDocument("jsonl", record["id"], record)
            for record in map(json.loads, FACTRU_DOCUMENTS.read_text(encoding="utf-8").splitlines())
            if record]
    docs += [BaseDocument("txt", p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS_DIR.glob("*.txt"))]
    docs += [BaseDocument("html", p.stem, p.read_text(encoding="utf-8")) for p in sorted(HTML_DIR.glob("*.html"))]
    return docs


def edition_marker(copy: int) -> str:
    """The sentence that makes copy ``copy`` of a text distinct (copy 0 is left unmarked)."""
    return f"Выпуск {copy}."


def copy_of(doc: BaseDocument, copy: int) -> str | dict:
    """Copy number ``copy`` of a base document, with its edition marker."""
    if copy == 0:
        return doc.content
    marker = edition_marker(copy)
    if doc.fmt == "jsonl":
        return {**doc.content, "id": f"{doc.name}-copy{copy}", "text": f"{doc.content['text']}\n{marker}"}
    if doc.fmt == "txt":
        return _mark_longest_line(doc.content, marker)
    return _mark_kept_paragraph(doc.content, marker)


def _mark_longest_line(text: str, marker: str) -> str:
    """Append the marker to the longest line of a plain text (a body paragraph, never a header or footer)."""
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] = f"{lines[longest]} {marker}"
    return "\n".join(lines)


def _mark_kept_paragraph(html: str, marker: str) -> str:
    """Append the marker inside a ``<p>`` element whose text the HTML cleaner keeps."""
    end = _kept_paragraph_end(html)
    return f"{html[:end]} {marker}{html[end:]}"


@functools.lru_cache(maxsize=None)
def _kept_paragraph_end(html: str) -> int:
    """Where the closing tag of the longest paragraph that survives HTML cleaning starts.

    Pages hide navigation and teasers in ``<p>`` elements too, so each candidate is tried with a probe
    marker through the real cleaner, longest first (once per page).
    """
    from newsetl.extractors.documents.html import clean_html

    probe = "Пробная метка бенчмарка."
    paragraphs = sorted(_HTML_PARAGRAPH.finditer(html), key=lambda m: len(m.group()), reverse=True)
    for paragraph in paragraphs:
        end = paragraph.end() - len("</p>")
        page = clean_html(f"{html[:end]} {probe}{html[end:]}")
        if page is not None and probe in page.body:
            return end
    raise ValueError("no paragraph of the page survives HTML cleaning")


def build_corpus(folder: Path, n_docs: int) -> CorpusInfo:
    """Write ``n_docs`` documents into ``folder`` (created; must not hold an earlier corpus).

    JSONL records go to ``folder/factru.jsonl``; texts and pages to ``folder/txt`` and ``folder/html``,
    one file per document.
    """
    base = base_documents()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "txt").mkdir(exist_ok=True)
    (folder / "html").mkdir(exist_ok=True)
    by_format = {"jsonl": 0, "txt": 0, "html": 0}
    n_bytes = 0
    with open(folder / "factru.jsonl", "w", encoding="utf-8") as jsonl:
        for i in range(n_docs):
            doc, copy = base[i % len(base)], i // len(base)
            content = copy_of(doc, copy)
            if doc.fmt == "jsonl":
                line = json.dumps(content, ensure_ascii=False) + "\n"
                jsonl.write(line)
                n_bytes += len(line.encode("utf-8"))
            else:
                path = folder / doc.fmt / f"{doc.name}-copy{copy}.{doc.fmt}"
                path.write_text(content, encoding="utf-8")
                n_bytes += path.stat().st_size
            by_format[doc.fmt] += 1
    return CorpusInfo(folder, n_docs, by_format, n_bytes)


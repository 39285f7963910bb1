"""A deterministic benchmark corpus recombined from the repository's own texts.

The text pool is every paragraph of the 122 factRuEval texts (``tests/data/factru-dev``) and of the
two seed texts (``samples/seeds``), each split into sentences. Document ``i`` of a corpus is drawn
with its own seeded random generator (the same ``(namespace, i)`` always gives the same bytes):

* as many paragraphs as a factRuEval text has (drawn from their distribution, at least three),
  each a contiguous run of at least half the sentences of a pool paragraph picked at random, so
  two documents rarely share more than one paragraph and never whole texts: they are distinct
  documents, not near-duplicates of each other (the bench counts the near-duplicates the warehouse
  finds, as a check);
* its own title (a numbered headline over words of its first paragraph), a publication date
  spread over two years (so stories, whose window is days, stay small) and its own URL;
* a format: one document in 50 is a plain-text file in the seed convention (``date`` header line,
  permalink footer), one in 50 an HTML page (navigation, article, related links, footer); the rest
  are JSONL records in part files of 1,000 lines.

Corpora of different sizes of the same namespace are prefixes of one stream: the 1k corpus is the
first 1,000 documents of the 20k corpus. Probe sets (the "new documents" of a run) use their own
namespace, so they are new to every corpus.
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FACTRU_DOCUMENTS = REPO / "tests" / "data" / "factru-dev" / "documents.jsonl"
SEEDS_DIR = REPO / "samples" / "seeds"

SEED = "newsetl-bench/2"
PART_SIZE = 1000                       # JSONL records per part file
FORMAT_EVERY = 50                      # of every 50 documents ...
TXT_SLOT, HTML_SLOT = 17, 41           # ... this one is a .txt file and this one an .html page
MIN_PARAGRAPHS = 3
DATE_FROM = datetime(2024, 1, 1)
DATE_SPAN_MINUTES = 2 * 365 * 24 * 60
MIN_PARAGRAPH_CHARS = 60               # shorter pool lines are headings, bylines or dates
TITLE_WORDS = 8

_SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+(?=[«\"А-ЯЁA-Z0-9—–-])")
_SEED_META_LINE = re.compile(r"^(date\s+\d|\d{1,2}:\d{2}\s+\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\.\d{1,2}\.\d{4}$|Постоянный адрес)")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class TextPool:
    """The paragraphs of the repository's texts (each as its sentences) and how many paragraphs
    each factRuEval text has."""

    paragraphs: tuple[tuple[str, ...], ...]
    paragraph_counts: tuple[int, ...]


@dataclass(frozen=True)
class BenchDoc:
    """One generated document: its key (JSONL id / file stem), title, date, format and paragraphs."""

    key: str
    title: str
    published_at: datetime
    fmt: str
    paragraphs: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"https://bench.newsetl.example/news/{self.key}"

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class CorpusInfo:
    """What :func:`build_corpus` wrote: folder, documents per format, bytes, mean body length."""

    folder: Path
    n_docs: int
    by_format: dict[str, int]
    n_bytes: int
    mean_chars: float
    distinct_bodies: int = field(default=0)

    def summary(self) -> dict:
        return {"n_docs": self.n_docs, "by_format": self.by_format, "n_bytes": self.n_bytes,
                "mean_chars": round(self.mean_chars, 1), "distinct_bodies": self.distinct_bodies}


# --- the pool -----------------------------------------------------------------------------------


def sentences(paragraph: str) -> tuple[str, ...]:
    """The sentences of a paragraph (a simple end-of-sentence split; enough to recombine)."""
    return tuple(s.strip() for s in _SENTENCE_END.split(" ".join(paragraph.split())) if s.strip())


@functools.lru_cache(maxsize=1)
def text_pool() -> TextPool:
    """Paragraphs of the factRuEval texts and of the seed texts (their header, timestamp and footer
    lines left out), in file order."""
    records = [json.loads(line) for line in FACTRU_DOCUMENTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts, paragraphs = [], []
    for record in records:
        own = [p for p in re.split(r"\n\s*\n|\n", record["text"]) if len(p.strip()) >= MIN_PARAGRAPH_CHARS]
        counts.append(max(MIN_PARAGRAPHS, len(own)))
        paragraphs.extend(own)
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        paragraphs.extend(line for line in lines
                          if len(line.strip()) >= MIN_PARAGRAPH_CHARS and not _SEED_META_LINE.match(line.strip()))
    return TextPool(tuple(sentences(p) for p in paragraphs), tuple(counts))


# --- one document -------------------------------------------------------------------------------


def fmt_of(index: int) -> str:
    """The format of document ``index``: one in FORMAT_EVERY is .txt, one .html, the rest JSONL."""
    slot = index % FORMAT_EVERY
    return "txt" if slot == TXT_SLOT else "html" if slot == HTML_SLOT else "jsonl"


def make_doc(namespace: str, index: int, pool: TextPool | None = None) -> BenchDoc:
    """Document ``index`` of ``namespace``: recombined paragraphs, its own title, date and format."""
    pool = pool or text_pool()
    rng = random.Random(f"{SEED}/{namespace}/{index}")
    n_paragraphs = rng.choice(pool.paragraph_counts)
    paragraphs = tuple(_excerpt(rng, pool.paragraphs[i]) for i in rng.sample(range(len(pool.paragraphs)), n_paragraphs))
    published = DATE_FROM + timedelta(minutes=rng.randrange(DATE_SPAN_MINUTES))
    headline = " ".join(_WORD.findall(paragraphs[0])[:TITLE_WORDS])
    title = f"Сводка {namespace} № {index}: {headline}"
    return BenchDoc(f"{namespace}-{index:06d}", title, published, fmt_of(index), paragraphs)


def _excerpt(rng: random.Random, paragraph: tuple[str, ...]) -> str:
    """A contiguous run of at least half of the paragraph's sentences, at a random place."""
    length = rng.randint((len(paragraph) + 1) // 2, len(paragraph))
    start = rng.randint(0, len(paragraph) - length)
    return " ".join(paragraph[start:start + length])


# --- rendering ----------------------------------------------------------------------------------


def jsonl_record(doc: BenchDoc) -> str:
    """The document as one JSONL line (id, url, title, published_at, source, text)."""
    return json.dumps({"id": doc.key, "url": doc.url, "title": doc.title,
                       "published_at": doc.published_at.isoformat(timespec="minutes"),
                       "source": "newsetl bench", "text": doc.body}, ensure_ascii=False) + "\n"


def txt_file(doc: BenchDoc) -> str:
    """The document as a plain-text file in the seed convention (date header, permalink footer)."""
    return f"date {doc.published_at:%Y-%m-%d} {doc.title}\n\n{doc.body}\n\nПостоянный адрес статьи - {doc.url}\n"


def html_page(doc: BenchDoc, related: list[str]) -> str:
    """The document as a news page: navigation, the article, related links and a footer."""
    esc = html.escape
    nav = "".join(f'<li><a href="/{slug}">{esc(name)}</a></li>' for slug, name in
                  (("politics", "Политика"), ("economy", "Экономика"), ("world", "В мире"), ("society", "Общество")))
    body = "".join(f"<p>{esc(p)}</p>\n" for p in doc.paragraphs)
    links = "".join(f'<li><a href="/news/r{i}">{esc(t)}</a></li>' for i, t in enumerate(related))
    iso = doc.published_at.isoformat(timespec="minutes")
    return (f'<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8"><title>{esc(doc.title)}</title>\n'
            f'<meta name="description" content="{esc(doc.paragraphs[0][:150])}">\n'
            f'<meta property="og:title" content="{esc(doc.title)}">\n'
            f'<meta property="article:published_time" content="{iso}">\n'
            f'<link rel="canonical" href="{doc.url}"></head>\n'
            f'<body><header><a href="/">Вестник</a><nav><ul>{nav}</ul></nav></header>\n'
            f'<main><article><h1>{esc(doc.title)}</h1><time datetime="{iso}">{doc.published_at:%d.%m.%Y}</time>\n'
            f'{body}</article>\n<aside><h2>Читайте также</h2><ul>{links}</ul></aside></main>\n'
            f'<footer><p>© Вестник. Все права защищены.</p></footer></body></html>\n')


# --- a corpus -----------------------------------------------------------------------------------


def build_corpus(folder: Path, n_docs: int, namespace: str = "corpus") -> CorpusInfo:
    """Write documents ``0 .. n_docs-1`` of ``namespace`` into ``folder`` (created):
    ``jsonl/part-NNNN.jsonl``, ``txt/<key>.txt`` and ``html/<key>.html``."""
    pool = text_pool()
    for sub in ("jsonl", "txt", "html"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    by_format = {"jsonl": 0, "txt": 0, "html": 0}
    n_bytes, n_chars, bodies = 0, 0, set()
    part, part_file = -1, None
    try:
        for index in range(n_docs):
            doc = make_doc(namespace, index, pool)
            bodies.add(hashlib.sha256(doc.body.encode()).hexdigest())
            n_chars += len(doc.body)
            by_format[doc.fmt] += 1
            if doc.fmt == "jsonl":
                if index // PART_SIZE != part:
                    part = index // PART_SIZE
                    if part_file:
                        part_file.close()
                    part_file = open(folder / "jsonl" / f"part-{part:04d}.jsonl", "w", encoding="utf-8")
                line = jsonl_record(doc)
                part_file.write(line)
                n_bytes += len(line.encode("utf-8"))
            else:
                content = txt_file(doc) if doc.fmt == "txt" else html_page(doc, _related_titles(namespace, index, pool))
                path = folder / doc.fmt / f"{doc.key}.{doc.fmt}"
                path.write_text(content, encoding="utf-8")
                n_bytes += len(content.encode("utf-8"))
    finally:
        if part_file:
            part_file.close()
    return CorpusInfo(folder, n_docs, by_format, n_bytes, n_chars / max(1, n_docs), len(bodies))


def _related_titles(namespace: str, index: int, pool: TextPool, n: int = 6) -> list[str]:
    """Titles of other documents of the namespace, for an HTML page's related-links box."""
    return [make_doc(namespace, 10_000_000 + index * n + k, pool).title for k in range(n)]

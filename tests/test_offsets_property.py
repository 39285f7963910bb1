"""Every record of every extractor has valid offsets: ``0 <= start <= end <= len(text)`` and its
surface equal to the text at those offsets — the rule the warehouse audit enforces
(``schemas.tables.RECORD_TABLES``: each table's ``surface_column``), checked here before any load.

The texts: every factRuEval devset document (verbatim, as JSONL ``text``), the html-ru gold
article bodies, every file of samples/ turned into a document by ``build_document`` (seeds and
HTML pages), and hand-made texts with the characters and layouts that break offsets (CRLF,
astral and combining characters, no-break and zero-width spaces, tabs, heading runs, footers).
Hypothesis is not installed in this project, so the texts are enumerated deterministically.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsetl.extractors.documents.build import build_document
from newsetl.extractors.entities.analyze import analyze
from newsetl.extractors.facts import extract_facts
from newsetl.schemas.records import Document, RawUnit
from newsetl.schemas.tables import FACT_TABLES

ROOT = Path(__file__).resolve().parents[1]
FACTRU = ROOT / "tests" / "data" / "factru-dev" / "documents.jsonl"
HTML_GOLD = ROOT / "tests" / "data" / "html-ru" / "gold.json"
SAMPLES = ROOT / "samples"
# The kinds of file samples/ holds.
SAMPLE_FORMATS = {".txt": "txt", ".html": "html"}

HAND_MADE = {
    "crlf": "Президент России Владимир Путин провёл совещание.\r\n\r\nНовые правила\r\n"
            "Министр финансов Антон Силуанов заявил: «Бюджет будет исполнен в срок».\r\n",
    "astral-and-combining": "😀 Генеральный секретарь ООН Антониу Гутерриш 👍 прибыл в Москву.\n"
                            "Глава МИД Сергей Лавров́ встретился с ним 12 марта 2026 года. 𝔄𝔅",
    "spaces": "Губернатор\u00a0Санкт-Петербурга\u00a0Александр\u00a0Беглов\u200bпосетил завод.\t\t"
              "Об этом сообщает\u2009ТАСС со ссылкой на пресс-службу Смольного.",
    "heading-runs": "Власти города открыли новый парк в районе Хамовники, сообщает РИА Новости.\n"
                    "Главное\nКоротко о важном сегодня\nМэр Москвы Сергей Собянин открыл парк 1 мая.\n"
                    "Читайте нас\nИсточник: https://example.ru/news/1\nwww.example.ru",
    "interview": "Интервью\nВопрос: Как прошел год?\nИван Петров: Хорошо, мы выполнили план.\n"
                 "Вопрос: Что дальше?\nИван Петров: Учения «Взаимодействие-2026» пройдут в октябре.",
    "one-word": "Москва",
    "blank-lines": "\n\n   \n\t\n",
    "empty": "",
}


def texts() -> Iterator[tuple[str, str]]:
    """(id, text) of every text the test covers."""
    for line in FACTRU.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        yield f"factru-{record['id']}", record["text"]
    for page_id, gold in json.loads(HTML_GOLD.read_text(encoding="utf-8")).items():
        yield f"html-ru-gold-{page_id}", gold["articleBody"]
    for path in sorted(SAMPLES.rglob("*")):
        fmt = SAMPLE_FORMATS.get(path.suffix.lower())
        if fmt is None:
            continue
        document = build_document(RawUnit(str(path), path.name, fmt, path.read_bytes()))
        assert isinstance(document, Document), document
        yield f"samples-{path.relative_to(SAMPLES)}", document.text
    yield from ((f"hand-{name}", text) for name, text in HAND_MADE.items())


TEXTS = dict(texts())


def spans(text: str) -> Iterator[tuple[str, int, int, str | None]]:
    """(record, start, end, surface) of every span of every record of ``text``; surface None when the
    span has none to match (a section body, a position inside its evidence)."""
    mentions, acronyms = analyze(text)
    for m in mentions:
        yield f"mention {m.type} {m.surface!r}", m.start, m.stop, m.surface
    for a in acronyms:
        yield f"acronym {a.short_form!r}", a.short_start, a.short_stop, a.short_form
        yield f"acronym long form {a.long_form!r}", a.long_start, a.long_stop, a.long_form
    facts = extract_facts(text, None, mentions)
    for table in FACT_TABLES.values():
        value = getattr(facts, table.facts_attribute)
        for record in value if isinstance(value, list) else [value] if value is not None else []:
            row = record.row()
            name = f"{table.name} {row}"
            yield name, row["char_start"], row["char_end"], row[table.surface_column]
            if table.name == "sections":
                yield f"{name} body", row["body_start"], row["body_end"], None
            if table.name == "occupations" and row["position_start"] >= 0:
                yield f"{name} position", row["position_start"], row["position_end"], None


def test_texts_cover_the_test_data_and_the_samples():
    sources = {text_id.split("-")[0] for text_id in TEXTS}
    assert sources == {"factru", "html", "samples", "hand"}
    assert sum(text_id.startswith("factru") for text_id in TEXTS) == 122
    assert sum(text_id.startswith("samples") for text_id in TEXTS) == 6


@pytest.mark.parametrize("text_id", list(TEXTS))
def test_every_record_has_valid_offsets_and_its_surface(text_id):
    text = TEXTS[text_id]
    bad = [
        f"{record}: [{start}, {end}) {surface!r} vs {text[start:end]!r}"
        for record, start, end, surface in spans(text)
        if not (0 <= start <= end <= len(text)) or (surface is not None and text[start:end] != surface)
    ]
    assert bad == []

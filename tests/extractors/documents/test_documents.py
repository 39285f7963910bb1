"""build_document(s): every unit becomes one Document or one Reject with the right reason."""
import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest

from newsetl.extractors.documents.build import EXTRACTOR_VERSION, build_document, domain_of
from newsetl.extractors.sources.discovery import scan
from newsetl.extractors.sources.files import read_units
from newsetl.schemas.records import Document, RawUnit, Reject

ROOT = Path(__file__).resolve().parents[3]
BAD_FIXTURES = ROOT / "tests" / "fixtures" / "bad"
SEEDS = ROOT / "samples" / "seeds"
FACTRU = ROOT / "tests" / "data" / "factru-dev" / "documents.jsonl"
HTML_PAGE = ROOT / "samples" / "html" / "c4a3637c6696f238.html"


def build_documents(units) -> tuple[list[Document], list[Reject]]:
    """Build a document or a reject from every unit."""
    results = [build_document(unit) for unit in units]
    return [r for r in results if isinstance(r, Document)], [r for r in results if isinstance(r, Reject)]


def build_from(*paths: Path) -> tuple[list[Document], list[Reject]]:
    """Scan, read and build the given paths."""
    return build_documents(read_units(scan([str(p) for p in paths]).files))


def jsonl_unit(record, line_no: int = 1) -> RawUnit:
    """A JSONL unit holding ``record`` (a dict, or a raw line when a string)."""
    line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
    return RawUnit(source_uri=f"/in/x.jsonl#L{line_no}", source_id=f"x.jsonl#L{line_no}", fmt="jsonl",
                   raw=line.encode("utf-8"), line_no=line_no)


@pytest.fixture(scope="module")
def bad_fixture_results():
    return build_from(BAD_FIXTURES)


@pytest.mark.parametrize(
    "source_id, reason_code",
    [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("truncated.txt.gz", "truncated_gzip"),
        ("no_main_text.html", "no_main_text"),
        ("mixed.jsonl#L4", "malformed_jsonl"),
        ("mixed-4", "missing_text"),
    ],
)
def test_bad_fixture_is_rejected_with_its_reason(bad_fixture_results, source_id, reason_code):
    _, rejects = bad_fixture_results
    [reject] = [r for r in rejects if r.source_id == source_id]
    assert reject.reason_code == reason_code
    assert reject.message
    assert reject.raw_hash == hashlib.sha256(reject.raw).hexdigest()


def test_bad_fixtures_yield_exactly_the_good_jsonl_lines(bad_fixture_results):
    documents, rejects = bad_fixture_results
    assert [d.source_id for d in documents] == ["mixed-1", "mixed-2"]
    assert len(rejects) == 6


def test_malformed_jsonl_message_names_line_and_error(bad_fixture_results):
    [reject] = [r for r in bad_fixture_results[1] if r.reason_code == "malformed_jsonl"]
    assert "line 4" in reject.message and "Unterminated string" in reject.message
    assert reject.raw.startswith(b'{"id": "mixed-3"')


def test_jsonl_text_record(bad_fixture_results):
    doc = next(d for d in bad_fixture_results[0] if d.source_id == "mixed-1")
    assert doc.text == "  В Москве открылся новый парк.\nЕго площадь — 10 га.  "  # verbatim
    assert (doc.title, doc.url, doc.source_domain, doc.source_name) == (
        "Новый парк", "https://www.example.ru/news/1", "example.ru", "Example News",
    )
    assert (doc.published_at, doc.published_at_evidence) == (datetime(2026, 1, 30, 19, 7), "jsonl_field")
    assert doc.extra == {"rubric": "Город"}
    assert doc.format == "jsonl" and doc.language == "ru"


def test_jsonl_html_record_prefers_the_record_fields(bad_fixture_results):
    doc = next(d for d in bad_fixture_results[0] if d.source_id == "mixed-2")
    assert doc.text == "Правительство утвердило новый порядок выдачи лицензий.\n\nДокумент вступит в силу с 1 марта."
    assert doc.title == "Порядок лицензирования"  # the record's, not the page's <title>
    # The record's date does not parse: the page's date is used and the record's value kept.
    assert (doc.published_at, doc.published_at_evidence) == (datetime(2025, 12, 31, 10), "html_meta")
    assert doc.extra == {"published_at_unparsed": "вчера вечером"}


@pytest.fixture(scope="module")
def seed_documents():
    documents, rejects = build_from(SEEDS)
    assert rejects == []
    return {d.source_id: d for d in documents}


def test_interview_seed_document(seed_documents):
    doc = seed_documents["000_2c1546299e15fb88.txt"]
    raw = (SEEDS / "000_2c1546299e15fb88.txt").read_bytes()
    assert doc.title.startswith("У нашей Организации хороший послужной список")
    assert (doc.published_at, doc.published_at_evidence) == (datetime(2026, 1, 29), "header")
    assert doc.extra == {"date_candidates": {"header": "2026-01-29T00:00:00", "timestamp_line": "2026-01-30T22:07:00"}}
    assert (doc.url, doc.source_domain) == ("https://centrasia.org/newsA.php?st=1769800020", "centrasia.org")
    assert "Постоянный адрес статьи" not in doc.text
    assert doc.doc_id == hashlib.sha256(b"doc:000_2c1546299e15fb88.txt").hexdigest()[:16]
    assert doc.raw == raw and doc.raw_hash == hashlib.sha256(raw).hexdigest()
    assert doc.content_hash == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    assert (doc.encoding, doc.language, doc.format) == ("utf-8", "ru", "txt")
    assert doc.n_chars == len(doc.text) and 1400 < doc.n_words < 1700
    assert doc.extractor_version == EXTRACTOR_VERSION == "documents/4"


def test_news_seed_document(seed_documents):
    doc = seed_documents["004_84ecff8064585085.txt"]
    assert doc.source_name == "Lada.kz"
    assert (doc.title, doc.url, doc.source_domain, doc.published_at) == (None, None, None, None)
    assert doc.published_at_evidence == "none"
    assert doc.text.startswith("Глава государства Казахстана Касым-Жомарт Токаев")


def test_html_file_document():
    [doc], rejects = build_from(HTML_PAGE)
    assert rejects == []
    assert (doc.format, doc.source_domain, doc.published_at_evidence) == ("html", "gto-normativy.ru", "html_meta")
    assert doc.text.startswith("Характеристики бега можно увеличить за счет кодов")
    assert doc.author == "Вера" and doc.site_name == "gto-normativy.ru"


def test_factru_texts_are_stored_verbatim():
    documents, rejects = build_from(FACTRU)
    assert rejects == []
    originals = {r["id"]: r["text"] for r in map(json.loads, FACTRU.read_text(encoding="utf-8").splitlines())}
    assert len(documents) == len(originals) == 122
    assert all(doc.text == originals[doc.source_id] for doc in documents)
    assert {doc.source_name for doc in documents} == {"factRuEval-2016 devset"}


def test_cp1251_text_file(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("date 2024-05-09 Парад Победы\n\nВ Москве прошёл парад.".encode("cp1251"))
    [doc], _ = build_from(path)
    assert (doc.encoding, doc.title, doc.text) == ("cp1251", "Парад Победы", "В Москве прошёл парад.")


@pytest.mark.parametrize(
    "unit, reason_code",
    [
        (RawUnit("/in/LICENSE", "LICENSE", "unsupported", b"MIT License"), "unsupported_format"),
        (RawUnit("/in/h.txt", "h.txt", "txt", "date 2025-01-01 Только заголовок\n".encode()), "empty_text"),
        (RawUnit("/in/c.txt.gz", "c.txt.gz", "txt", b"", error=("truncated_gzip", "cut")), "truncated_gzip"),
        (jsonl_unit("[1, 2, 3]"), "malformed_jsonl"),
        (jsonl_unit({"id": "a", "text": "   \n"}), "missing_text"),
        (jsonl_unit({"id": "a", "text": 42}), "missing_text"),
        (jsonl_unit({"id": "a", "html": "<nav><a href='/'>Главная</a></nav>"}), "no_main_text"),
        (RawUnit("/in/x.jsonl#L1", "x.jsonl#L1", "jsonl", b"\x00\x01\x02", line_no=1), "binary"),
    ],
    ids=["unsupported", "header-only", "unit-error", "json-array", "blank-text", "non-string-text",
         "html-without-main-text", "binary-line"],
)
def test_reject_reasons(unit, reason_code):
    result = build_document(unit)
    assert isinstance(result, Reject)
    assert (result.reason_code, result.source_id, result.raw) == (reason_code, unit.source_id, unit.raw)


@pytest.mark.parametrize(
    "published_at, expected",
    [
        ("2026-01-29", datetime(2026, 1, 29)),
        ("2026-01-29T10:00:00Z", datetime(2026, 1, 29, 10)),
        ("2026-01-29T10:00:00+03:00", datetime(2026, 1, 29, 7)),
        ("2026-01-29 10:00", datetime(2026, 1, 29, 10)),
        ("01.03.2026", datetime(2026, 3, 1)),
        ("01.03.2026 10:00", datetime(2026, 3, 1, 10)),
        ("1.3.2026, 10:00:30", datetime(2026, 3, 1, 10, 0, 30)),
        ("1 марта 2026", datetime(2026, 3, 1)),
        ("1 Март 2026", datetime(2026, 3, 1)),
        ("15 МАЯ 2026 г.", datetime(2026, 5, 15)),
        ("2 февраля 2026 года, 10:30", datetime(2026, 2, 2, 10, 30)),
        ("3 сент. 2026", datetime(2026, 9, 3)),
        (1769800020, datetime(2026, 1, 30, 19, 7)),
        ("1769800020", datetime(2026, 1, 30, 19, 7)),
        (1769800020123, datetime(2026, 1, 30, 19, 7, 0, 123000)),
        ("1769800020000", datetime(2026, 1, 30, 19, 7)),
        ("Sun, 01 Mar 2026 10:00:00 +0300", datetime(2026, 3, 1, 7)),
        ("01 Mar 2026 10:00:00 GMT", datetime(2026, 3, 1, 10)),
        ("2026-03", datetime(2026, 3, 1)),
        ("2026", datetime(2026, 1, 1)),
    ],
)
def test_jsonl_dates_become_naive_utc(published_at, expected):
    doc = build_document(jsonl_unit({"id": "d", "text": "Текст.", "published_at": published_at}))
    assert (doc.published_at, doc.published_at_evidence) == (expected, "jsonl_field")
    assert doc.extra == {}


@pytest.mark.parametrize(
    "published_at",
    ["29 января", "2026-13-01", "31.02.2026", "1 мартобря 2026", "1799-12-31", "1799", "0001-01-01T00:00:00Z",
     12345, -1769800020, True, 1.5, "вчера", "Mon, 32 Mar 2026 10:00:00 +0300", ["2026-01-29"]],
)
def test_unparseable_jsonl_date_is_kept_in_extra(published_at):
    doc = build_document(jsonl_unit({"id": "d", "text": "Текст.", "published_at": published_at}))
    assert (doc.published_at, doc.published_at_evidence) == (None, "none")
    assert doc.extra == {"published_at_unparsed": published_at}


@pytest.mark.parametrize(
    "field, value, derived",
    [
        ("title", ["Новый парк", "Город"], "Новый парк"),
        ("title", [{"name": "  "}, "Новый парк"], "Новый парк"),
        ("title", {"name": "Новый парк", "lang": "ru"}, "Новый парк"),
        ("title", 42, None),
        ("title", [], None),
        ("source", {"name": "ТАСС", "url": "https://tass.ru"}, "ТАСС"),
        ("source", ["ТАСС", "РИА Новости"], "ТАСС"),
        ("source", {"id": 7}, None),
    ],
)
def test_non_string_title_and_source_give_a_string_and_keep_the_original(field, value, derived):
    doc = build_document(jsonl_unit({"id": "d", "text": "Текст.", field: value}))
    assert (doc.title if field == "title" else doc.source_name) == derived
    assert doc.extra == {f"{field}_original": value}


@pytest.mark.parametrize(
    "text, published",
    [
        ("В Москве\x00открылся парк.", "В Москве открылся парк."),
        ("Заголовок\x07\x1b\x0b\x0c\nТекст\tс табуляцией\r\n", "Заголовок    \nТекст\tс табуляцией\r\n"),
        ("Сломанный символ \ud83d в тексте.", "Сломанный символ \ufffd в тексте."),
    ],
    ids=["nul", "other-c0-controls", "lone-surrogate"],
)
def test_jsonl_control_characters_are_blanked_keeping_offsets(text, published):
    doc = build_document(jsonl_unit(json.dumps({"id": "d", "text": text})))  # \u escapes, as in real JSONL
    assert isinstance(doc, Document)
    assert doc.text == published and len(doc.text) == len(text)
    # Every character that was not blanked is still at its offset.
    assert all(kept == original for kept, original in zip(doc.text, text) if kept not in " \ufffd")


def test_control_characters_of_a_text_file_become_spaces():
    body = "Обычный текст новости. " * 10
    unit = RawUnit("/in/c.txt", "c.txt", "txt", f"Заголовок\x07новости.\n\n{body}\x1bКонец.".encode("utf-8"))
    assert build_document(unit).text == f"Заголовок новости.\n\n{body}Конец."


def test_jsonl_line_with_stray_bytes_keeps_its_id_and_utf8_text(tmp_path):
    good = json.dumps({"id": "good", "text": "Обычная новость."}, ensure_ascii=False).encode("utf-8")
    damaged = ('{"id": "stray-1", "text": "В Москве открылся новый парк культуры и отдыха ' 
               '\xa0— его площадь 10 га."}').encode("utf-8").replace(b"\xc2\xa0", b"\xa0")
    path = tmp_path / "damaged.jsonl"
    path.write_bytes(good + b"\n" + damaged + b"\n")
    documents, rejects = build_from(path)
    assert rejects == []
    doc = documents[1]
    assert doc.source_id == "stray-1"
    assert doc.text == "В Москве открылся новый парк культуры и отдыха \ufffd— его площадь 10 га."
    assert doc.encoding == "utf-8 (replaced 1 invalid byte)"


def test_cp1251_jsonl_line_keeps_its_id(tmp_path):
    path = tmp_path / "legacy.jsonl"
    path.write_bytes(json.dumps({"id": "old-1", "text": "Парад Победы прошёл в Москве."}, ensure_ascii=False).encode("cp1251"))
    [doc], _ = build_from(path)
    assert (doc.source_id, doc.encoding, doc.text) == ("old-1", "cp1251", "Парад Победы прошёл в Москве.")


@pytest.mark.parametrize(
    "html, published_at, evidence",
    [
        ("<html><body><p>Выставка откроется в феврале 2026 года в Москве.</p></body></html>", None, "none"),
        ("<html><head><script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
         "\"datePublished\": \"2026-01-28T11:00:00+03:00\"}</script></head>"
         "<body><p>Выставка откроется в феврале 2026 года в Москве.</p></body></html>",
         datetime(2026, 1, 28, 8), "html_meta"),
    ],
    ids=["undated-page", "json-ld-dated-page"],
)
def test_html_page_date_comes_only_from_its_metadata(html, published_at, evidence):
    doc = build_document(RawUnit("/in/p.html", "p.html", "html", html.encode("utf-8")))
    assert (doc.published_at, doc.published_at_evidence) == (published_at, evidence)


def test_not_gzip_file_named_gz_is_corrupt_gzip(tmp_path):
    path = tmp_path / "x.txt.gz"
    path.write_bytes("Это обычный текст, а не gzip.".encode("utf-8"))
    [], [reject] = build_from(path)
    assert (reject.reason_code, reject.raw) == ("corrupt_gzip", path.read_bytes())


@pytest.mark.parametrize(
    "url, domain",
    [
        ("https://www.centrasia.org/newsA.php?st=1", "centrasia.org"),
        ("http://Lada.KZ/news", "lada.kz"),
        ("https://news.example.ru:8080/a", "news.example.ru"),
        ("not a url", None),
        (None, None),
    ],
)
def test_domain_of(url, domain):
    assert domain_of(url) == domain


def test_every_unit_gives_exactly_one_result():
    units = list(read_units(scan([str(BAD_FIXTURES), str(SEEDS)]).files))
    documents, rejects = build_documents(units)
    assert len(documents) + len(rejects) == len(units)


HTML_BODY = ("<html><head>{head}</head><body><article><p>В Москве открылся новый парк культуры и отдыха площадью "
             "десять гектаров, его строили три года.</p><p>Вход в парк останется бесплатным для всех.</p>"
             "</article></body></html>")


@pytest.mark.parametrize(
    "record, url, warning",
    [
        ({"url": "https://www.example.ru/news/1"}, "https://www.example.ru/news/1", None),
        ({"url": "HTTP://example.ru/a"}, "HTTP://example.ru/a", None),
        ({"url": "javascript:alert(document.cookie)"}, None, "url_dropped: scheme 'javascript' is not http or https"),
        ({"url": "file:///etc/passwd"}, None, "url_dropped: scheme 'file' is not http or https"),
        ({"url": "data:text/html,<script>1</script>"}, None, "url_dropped: scheme 'data' is not http or https"),
        ({"url": "//example.ru/a"}, None, "url_dropped: scheme 'none' is not http or https"),
        ({"url": "https:///no-host"}, None, "url_dropped: the URL has no host"),
        ({"url": "http://[::1"}, None, "url_dropped: not a valid URL"),
        ({"html": HTML_BODY.format(head='<link rel="canonical" href="javascript:alert(1)">')}, None, None),
        ({"url": "javascript:void(0)", "html": HTML_BODY.format(head='<link rel="canonical" href="/a">')},
         None, "url_dropped: scheme 'javascript' is not http or https"),
        ({"html": HTML_BODY.format(head='<link rel="canonical" href="https://example.ru/a">')},
         "https://example.ru/a", None),
    ],
    ids=["https", "upper-case-scheme", "javascript", "file", "data", "no-scheme", "no-host", "invalid",
         "html-canonical-javascript", "javascript-base-with-relative-canonical", "http-canonical"],
)
def test_only_http_urls_are_kept(record, url, warning):
    record = {"id": "u", **({"text": "Новость о парке."} if "html" not in record else {}), **record}
    doc = build_document(jsonl_unit(record))
    assert isinstance(doc, Document), doc
    assert (doc.url, doc.source_domain is None) == (url, url is None)
    assert doc.extra.get("warnings") == ([warning] if warning else None)
    assert not any(payload in json.dumps(doc.extra) for payload in ("alert", "void", "passwd", "<script>"))


def test_plaintext_footer_url_must_be_http():
    text = "date 2026-01-29 Заголовок\n\nВ Москве открылся парк.\n\nПостоянный адрес статьи - ftp://example.ru/a\n"
    doc = build_document(RawUnit("/in/a.txt", "a.txt", "txt", text.encode("utf-8")))
    assert (doc.url, doc.extra["warnings"]) == (None, ["url_dropped: scheme 'ftp' is not http or https"])

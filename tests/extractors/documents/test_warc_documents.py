"""WARC records → documents: the page's text and metadata, the fetch URL and date, rebuilt from raw alone."""
import gzip
import io
import sys
from datetime import datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from warc_files import WARC_DATE, Rec, article, standard_records, warc_bytes  # noqa: E402

from newsetl.extractors.documents.build import build_document  # noqa: E402
from newsetl.extractors.sources.discovery import scan  # noqa: E402
from newsetl.extractors.sources.files import read_units  # noqa: E402
from newsetl.schemas.records import DATE_EVIDENCE, INPUT_FORMATS, Document, RawUnit, Reject  # noqa: E402


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """The documents and rejects of the standard WARC plus a truncated last record."""
    cut = Rec("response", "urn:uuid:cut", uri="https://news.example.ru/cut", payload=article("Обрезанная"))
    path = tmp_path_factory.mktemp("warc") / "crawl.warc.gz"
    path.write_bytes(warc_bytes(standard_records() + [cut], gz=True)[:-150])
    units = list(read_units(scan([str(path)]).files))
    results = [build_document(unit) for unit in units]
    return units, ([r for r in results if isinstance(r, Document)], [r for r in results if isinstance(r, Reject)])


@pytest.mark.parametrize(
    "source_id, title, url, published_at, evidence",
    [
        ("urn:uuid:page-1", "Парк открыт", "https://news.example.ru/a", datetime(2026, 1, 29, 8, 30), "warc_date"),
        ("urn:uuid:page-2", "Второй парк", "https://news.example.ru/b", datetime(2026, 1, 28, 7, 0), "html_meta"),
    ],
)
def test_html_response_becomes_a_document(crawl, source_id, title, url, published_at, evidence):
    _, (documents, _) = crawl
    [doc] = [d for d in documents if d.source_id == source_id]
    assert (doc.title, doc.url, doc.source_domain) == (title, url, "news.example.ru")
    assert (doc.published_at, doc.published_at_evidence) == (published_at, evidence)
    assert doc.text.startswith(f"{title}\n\nВ Москве в четверг открылся новый парк") and doc.format == "warc"
    assert doc.extra == {"warc_record_id": source_id, "warc_target_uri": url, "warc_date": WARC_DATE,
                         "http_status": 200}
    assert doc.language == "ru" and doc.encoding == "utf-8"


def test_truncated_record_is_the_only_reject(crawl):
    _, (documents, rejects) = crawl
    assert [d.source_id for d in documents] == ["urn:uuid:page-1", "urn:uuid:page-2"]
    assert [(r.source_id, r.reason_code) for r in rejects] == [("urn:uuid:cut", "truncated_warc")]
    assert "crawl.warc.gz#R8" in rejects[0].message


def test_document_is_rebuilt_from_the_raw_record_alone(crawl):
    units, (documents, _) = crawl
    for unit, doc in zip(units, documents):
        again = build_document(RawUnit(source_uri=unit.source_uri, source_id=unit.source_id, fmt="warc", raw=doc.raw))
        assert (again.text, again.title, again.url, again.published_at, again.raw_hash) == (
            doc.text, doc.title, doc.url, doc.published_at, doc.raw_hash)


def encoded_response(chunked: bool, gz: bool) -> bytes:
    """A response record whose HTTP payload is gzip Content-Encoded and/or chunked."""
    body = article("Сжатая страница")
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if gz:
        body = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    if chunked:
        body = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
        headers.append(("Transfer-Encoding", "chunked"))
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    writer.write_record(writer.create_warc_record(
        "https://news.example.ru/z", "response", payload=io.BytesIO(body),
        warc_headers_dict={"WARC-Record-ID": "<urn:uuid:z>", "WARC-Date": WARC_DATE},
        http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")))
    return out.getvalue()


@pytest.mark.parametrize("chunked, gz", [(True, False), (False, True), (True, True)])
def test_encoded_payload_is_decoded(chunked, gz):
    doc = build_document(RawUnit("/in/x.warc#R1", "urn:uuid:z", "warc", encoded_response(chunked, gz)))
    assert isinstance(doc, Document), doc
    assert doc.title == "Сжатая страница" and "новый парк" in doc.text


@pytest.mark.parametrize(
    "raw",
    [b"", b"not a warc record at all", warc_bytes(standard_records()[1:2], gz=False)],
    ids=["empty", "garbage", "request-record"],
)
def test_raw_that_is_not_a_response_record_is_malformed(raw):
    reject = build_document(RawUnit("/in/x.warc#R1", "x.warc#R1", "warc", raw))
    assert isinstance(reject, Reject) and reject.reason_code == "malformed_warc"


def test_new_format_and_evidence_are_allowed_values():
    assert "warc" in INPUT_FORMATS and "warc_date" in DATE_EVIDENCE

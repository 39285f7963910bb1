"""WARC files written with warcio for the tests: HTML responses, a request, a PDF, metadata."""
from __future__ import annotations

import io
from dataclasses import dataclass

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_DATE = "2026-01-29T08:30:00Z"
ARTICLE = (
    "<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>"
    "<p>В Москве в четверг открылся новый парк культуры и отдыха площадью десять гектаров. "
    "Его строили три года, а деревья для аллей привезли из питомников Подмосковья.</p>"
    "<p>Как сообщили в мэрии, парк будет работать круглосуточно, а вход в него останется бесплатным "
    "для всех жителей и гостей столицы.</p></article></body></html>"
)


@dataclass
class Rec:
    """One record to write: its type, id, target URI, HTTP content type and payload."""

    kind: str
    record_id: str
    uri: str = "https://news.example.ru/a"
    content_type: str | None = "text/html; charset=utf-8"
    payload: bytes = b""
    status: str = "200 OK"


def article(title: str, published: str | None = None) -> bytes:
    """An HTML news page that has main text; with a declared publication date when ``published``."""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return ARTICLE.format(title=title, meta=meta).encode("utf-8")


def warc_bytes(records: list[Rec], gz: bool) -> bytes:
    """The bytes of a WARC file holding ``records`` (one gzip member per record when ``gz``)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for rec in records:
        writer.write_record(_record(writer, rec))
    return out.getvalue()


def _record(writer: WARCWriter, rec: Rec):
    """A warcio record for ``rec``, with a fixed id and date."""
    headers = {"WARC-Record-ID": f"<{rec.record_id}>", "WARC-Date": WARC_DATE}
    http = None
    if rec.kind == "response":
        http = StatusAndHeaders(rec.status, [("Content-Type", rec.content_type)] if rec.content_type else [],
                                protocol="HTTP/1.1")
    return writer.create_warc_record(rec.uri, rec.kind, payload=io.BytesIO(rec.payload),
                                     warc_headers_dict=headers, http_headers=http)


def standard_records() -> list[Rec]:
    """warcinfo, two HTML responses (one with a declared date), a request, a PDF and metadata."""
    return [
        Rec("warcinfo", "urn:uuid:info", uri="", content_type=None, payload=b"software: test\r\n"),
        Rec("request", "urn:uuid:req-1", payload=b"GET /a HTTP/1.1\r\nHost: news.example.ru\r\n\r\n"),
        Rec("response", "urn:uuid:page-1", payload=article("Парк открыт")),
        Rec("response", "urn:uuid:pdf-1", uri="https://news.example.ru/a.pdf", content_type="application/pdf",
            payload=b"%PDF-1.4 binary"),
        Rec("response", "urn:uuid:page-2", uri="https://news.example.ru/b",
            content_type="application/xhtml+xml", payload=article("Второй парк", "2026-01-28T10:00:00+03:00")),
        Rec("metadata", "urn:uuid:meta-1", payload=b"outlinks: https://news.example.ru/c\r\n"),
        Rec("response", "urn:uuid:gone-1", uri="https://news.example.ru/gone", status="404 Not Found",
            payload=article("Нет такой страницы")),
    ]

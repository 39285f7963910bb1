"""Main-text scoring of HTML pages, and news pages built per page class for the main-text gate.

``shingle_scores`` is the scrapinghub/article-extraction-benchmark metric: 4-gram word
shingles of the predicted text against those of the gold text.  ``PAGE_CLASSES`` maps a
class name to a page (its raw bytes, as a crawler would store them) and the page's known
main text; every page wraps the same article in site chrome (a header menu, breadcrumbs,
share links, a footer) plus the thing its class is about.

    /work/main/.venv/bin/python tests/gates/eval_main_text.py    # prints the comparison
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTML_RU = ROOT / "tests" / "data" / "html-ru"
HTML_PAGES = ROOT / "samples" / "html"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    """4-gram word shingles, as in scrapinghub/article-extraction-benchmark."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def shingle_scores(gold: str, predicted: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the predicted text's shingles against the gold text's."""
    gold_shingles, predicted_shingles = shingles(gold), shingles(predicted)
    true_positives = sum((gold_shingles & predicted_shingles).values())
    n_predicted, n_gold = sum(predicted_shingles.values()), sum(gold_shingles.values())
    precision = true_positives / n_predicted if n_predicted else 0.0
    recall = true_positives / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(frozen=True)
class Page:
    """A page as stored bytes and the main text a reader would call the article."""

    raw: bytes
    main_text: str


# --- the article and the site around it -------------------------------------------------------------

ARTICLE = (
    "Правительство России утвердило новый порядок выдачи лицензий на пассажирские перевозки в регионах.",
    "Документ подписал председатель правительства; он вступит в силу с первого февраля следующего года "
    "и заменит прежние правила, действовавшие с 2011 года.",
    "По новым правилам перевозчики будут подавать заявления через портал государственных услуг, а срок "
    "их рассмотрения сократится до пятнадцати рабочих дней.",
    "В министерстве транспорта отметили, что изменения позволят снизить издержки малого бизнеса и сделать "
    "рынок более прозрачным для пассажиров.",
    "Ранее представители отрасли неоднократно указывали на избыточные требования к документам, которые "
    "приходилось собирать месяцами.",
)
TITLE = "Правительство утвердило новый порядок выдачи лицензий"
SITE_HEADER = (
    "<header class='site-header'><a class='logo' href='/'>Новости Региона</a><nav><ul>"
    "<li><a href='/politics'>Политика</a></li><li><a href='/economy'>Экономика</a></li>"
    "<li><a href='/society'>Общество</a></li><li><a href='/sport'>Спорт</a></li></ul></nav></header>"
    "<div class='breadcrumbs'><a href='/'>Главная</a> / <a href='/economy'>Экономика</a></div>"
)
SHARE = ("<div class='share'><span>Поделиться:</span> <a href='https://vk.com/share'>ВКонтакте</a> "
         "<a href='https://t.me/share'>Telegram</a></div>")
SITE_FOOTER = ("<footer><p>© 2026 «Новости Региона». Все права защищены. Перепечатка материалов только "
               "с письменного разрешения редакции.</p><a href='/about'>О редакции</a> <a href='/ads'>Реклама</a></footer>")


def paragraphs_html(paragraphs) -> str:
    """``<p>`` elements holding the given paragraphs."""
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def news_page(article_html: str = paragraphs_html(ARTICLE), *, before_body: str = "", after_article: str = "",
              charset_meta: str = "<meta charset='utf-8'>") -> str:
    """A news page around ``article_html``: site header, the article, ``after_article``, footer."""
    return (
        "<!DOCTYPE html><html lang='ru'><head>" + charset_meta + f"<title>{TITLE} — Новости Региона</title>"
        f"<meta property='og:title' content='{TITLE}'>"
        "<meta property='article:published_time' content='2026-01-28T11:00:00+03:00'></head>"
        f"<body>{before_body}{SITE_HEADER}<main><article><h1>{TITLE}</h1>"
        f"<div class='article-text'>{article_html}</div>{SHARE}</article>{after_article}</main>"
        f"{SITE_FOOTER}</body></html>"
    )


MAIN_TEXT = "\n".join(ARTICLE)

# --- page classes -----------------------------------------------------------------------------------

COMMENTS = (
    "<section class='comments' id='comments'><h3>Комментарии (3)</h3>"
    "<div class='comment'><b class='comment-author'>Иван Петров</b> <span class='comment-date'>28.01.2026 12:14</span>"
    "<p>Наконец-то навели порядок, давно пора было это сделать, а то бумаг собирали больше, чем возили людей.</p></div>"
    "<div class='comment'><b class='comment-author'>Мария</b> <span class='comment-date'>28.01.2026 13:40</span>"
    "<p>Посмотрим, как это будет работать на практике, у нас в районе портал постоянно зависает.</p></div>"
    "<div class='comment'><b class='comment-author'>Гость</b>"
    "<p>Опять всё для больших компаний, маленьким перевозчикам легче не станет.</p></div>"
    "<form class='comment-form'><textarea name='text'></textarea><button>Отправить</button></form></section>"
)
RELATED = (
    "<div class='related-news'><h3>Читайте также</h3><ul>"
    "<li><a href='/n/1'>В Москве открылся новый парк на месте бывшей промышленной зоны</a></li>"
    "<li><a href='/n/2'>Цены на бензин выросли третью неделю подряд</a></li>"
    "<li><a href='/n/3'>Губернатор провёл приём граждан по личным вопросам</a></li>"
    "<li><a href='/n/4'>Перевозчики попросили отсрочить переход на электронные билеты</a></li></ul></div>"
)
TABLE_ROWS = (("Москва", "1200", "15 дней"), ("Санкт-Петербург", "850", "20 дней"), ("Казань", "310", "12 дней"))
TABLE = ("<table><tr><th>Регион</th><th>Число перевозчиков</th><th>Срок рассмотрения</th></tr>"
         + "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in TABLE_ROWS) + "</table>")
TABLE_TEXT = "Регион Число перевозчиков Срок рассмотрения " + " ".join(" ".join(row) for row in TABLE_ROWS)
COOKIE_BANNER = (
    "<div class='cookie-banner' id='cookie-consent'><p>Мы используем файлы cookie, чтобы сайт работал лучше. "
    "Продолжая пользоваться сайтом, вы соглашаетесь с политикой обработки персональных данных.</p>"
    "<button>Принять</button> <a href='/privacy'>Подробнее</a></div>"
)
PAGINATION = (
    "<div class='pagination'>Страница 1 из 2: <span class='current'>1</span> <a href='?page=2'>2</a> "
    "<a href='?page=2' rel='next' class='next'>Следующая страница →</a></div>"
)


def _utf8(html: str) -> bytes:
    return html.encode("utf-8")


def _legacy(encoding: str, declared: str) -> Callable[[], Page]:
    """A page in a legacy Cyrillic code page that its <meta> declares (characters outside it as entities)."""
    def build() -> Page:
        html = news_page(charset_meta=declared)
        return Page(html.encode(encoding, "xmlcharrefreplace"), MAIN_TEXT)
    return build


PAGE_BUILDERS: dict[str, Callable[[], Page]] = {
    "comments": lambda: Page(_utf8(news_page(after_article=COMMENTS)), MAIN_TEXT),
    "related-links": lambda: Page(_utf8(news_page(after_article=RELATED)), MAIN_TEXT),
    "table": lambda: Page(
        _utf8(news_page(paragraphs_html(ARTICLE[:3]) + TABLE + paragraphs_html(ARTICLE[3:]))),
        "\n".join(ARTICLE[:3]) + "\n" + TABLE_TEXT + "\n" + "\n".join(ARTICLE[3:]),
    ),
    "cookie-banner": lambda: Page(_utf8(news_page(before_body=COOKIE_BANNER)), MAIN_TEXT),
    "multi-page": lambda: Page(_utf8(news_page(after_article=PAGINATION)), MAIN_TEXT),
    "cp1251": _legacy("cp1251", "<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>"),
    "koi8-r": _legacy("koi8-r", "<meta charset='koi8-r'>"),
    # Beyond the classes named in issue 14: what the old wrapping lost.
    "html-comments-in-text": lambda: Page(_utf8(news_page(
        f"<div>{ARTICLE[0]}<!-- ad slot --><br>{ARTICLE[1]}</div>" + paragraphs_html(ARTICLE[2:]))), MAIN_TEXT),
    "form-wrapped-page": lambda: Page(
        _utf8(news_page().replace("<body>", "<body><form id='aspnetForm' method='post'>").replace("</body>", "</form></body>")),
        MAIN_TEXT,
    ),
    "article-in-contentinfo": lambda: Page(
        _utf8(news_page(f"<div role='contentinfo'>{paragraphs_html(ARTICLE)}</div>")), MAIN_TEXT),
}


def html_ru_pages() -> dict[str, Page]:
    """The html-ru benchmark pages (samples/html) with their gold article bodies."""
    gold = json.loads((HTML_RU / "gold.json").read_text(encoding="utf-8"))
    return {page_id: Page((HTML_PAGES / f"{page_id}.html").read_bytes(), entry["articleBody"])
            for page_id, entry in gold.items()}


def trafilatura_main_text(raw: bytes) -> str:
    """trafilatura alone, as issue 14 measured it: ``extract(html, include_comments=False, include_tables=True)``."""
    import trafilatura

    return trafilatura.extract(raw, include_comments=False, include_tables=True) or ""


def newsetl_main_text(raw: bytes) -> str:
    """newsetl's document text for an HTML file's bytes (decoding and cleaning as ``build_document`` does)."""
    from newsetl.extractors.documents.build import build_document
    from newsetl.schemas.records import Document, RawUnit

    result = build_document(RawUnit(source_uri="page.html", source_id="page.html", fmt="html", raw=raw))
    return result.text if isinstance(result, Document) else ""


def compare(pages: dict[str, Page]) -> dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]]:
    """Per page: (newsetl's P/R/F1, trafilatura's P/R/F1) against the page's main text."""
    return {
        name: (shingle_scores(page.main_text, newsetl_main_text(page.raw)),
               shingle_scores(page.main_text, trafilatura_main_text(page.raw)))
        for name, page in pages.items()
    }


def format_table(scores) -> str:
    """The comparison as a printable table."""
    lines = [f"{'page':<24} {'newsetl P/R/F1':>20}   {'trafilatura P/R/F1':>20}"]
    for name, (ours, theirs) in scores.items():
        lines.append(f"{name:<24} {ours[0]:.3f}/{ours[1]:.3f}/{ours[2]:.3f}     "
                     f"{theirs[0]:.3f}/{theirs[1]:.3f}/{theirs[2]:.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_table(compare(html_ru_pages() | {name: build() for name, build in PAGE_BUILDERS.items()})))

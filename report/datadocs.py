"""Great Expectations Data Docs that work offline and tell warnings from critical failures.

GX pages load Bootstrap, jQuery, bootstrap-table and Font Awesome from CDNs. :func:`finish_site`
copies the assets from installed packages (``xstatic-bootstrap``, ``xstatic-jquery``,
``xstatic-font-awesome``) into the site's ``static/vendor`` folder, points every page at them,
and replaces bootstrap-table (not packaged on PyPI) with a small stand-in (``assets/``). It also
gives each check a readable description with its severity (:func:`describe`), draws failed
warnings with a warning sign instead of the red cross, and names the data asset.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from importlib import import_module, resources
from pathlib import Path
from typing import Any

from newsetl.schemas.suites import NOT_BLANK, Check

OFFLINE_MARKER = "<!-- newsetl: offline assets -->"
WARNINGS_ONLY_MARKER = "<!-- newsetl: passed with warnings -->"
VENDOR = "static/vendor"
FINISHED_STAMP = ".newsetl-finished"  # its mtime: when the last finish_site began
WARNING_ICON = '<i class="fas fa-exclamation-triangle newsetl-warning" title="warning: reported, blocks nothing"></i>'
WARNING_STATUS_ICON = '<i class="fas fa-exclamation-triangle newsetl-warning" aria-hidden="true"></i>'
SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning"}


@dataclass(frozen=True)
class Asset:
    """A file or folder copied from an installed package into ``static/vendor``."""

    module: str  # an xstatic package module, whose BASE_DIR holds the files
    source: str
    target: str


ASSETS = [
    Asset("xstatic.pkg.bootstrap", "css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    Asset("xstatic.pkg.bootstrap", "js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    Asset("xstatic.pkg.jquery", "jquery.min.js", "jquery/jquery.min.js"),
    Asset("xstatic.pkg.font_awesome", "css/all.min.css", "fontawesome/css/all.min.css"),
    Asset("xstatic.pkg.font_awesome", "webfonts", "fontawesome/webfonts"),
]
OWN_ASSETS = ["datadocs-tables.js", "datadocs-offline.css"]  # from newsetl/report/assets
HEAD_TAGS = [
    '<link rel="stylesheet" href="{p}bootstrap/bootstrap.min.css">',
    '<link rel="stylesheet" href="{p}fontawesome/css/all.min.css">',
    '<link rel="stylesheet" href="{p}newsetl/datadocs-offline.css">',
    '<script src="{p}jquery/jquery.min.js"></script>',
    '<script src="{p}bootstrap/bootstrap.bundle.min.js"></script>',
    '<script src="{p}newsetl/datadocs-tables.js"></script>',
]
_REMOTE_LINK = re.compile(r'<link\b[^>]*\bhref="https?://[^"]*"[^>]*>\s*', re.I)
_REMOTE_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', re.I)
_REMOTE_IMAGE = re.compile(r'src="https://great-expectations-web-assets[^"]*"')
_REMOTE_CSS_URL = re.compile(r"url\('https?://[^']*'\)")
_INDEX_ROW = re.compile(r"('validation_success': '[^']*?)fa-times text-danger([^']*'.*?'_table_row_link_path': '([^']*)')", re.S)

# expectation class -> description of what must hold; {column} etc. come from its arguments
DESCRIPTIONS = {
    "ExpectColumnValuesToNotBeNull": "{column} is present (not null)",
    "ExpectColumnValuesToBeUnique": "{column} is unique",
    "ExpectColumnValuesToBeInSet": "{column} is one of: {value_set}",
    "ExpectColumnValuesToBeBetween": "{column} is at least {min_value}",
    "ExpectColumnValuesToMatchRegex": "{column} matches the pattern {regex}",
    "ExpectColumnValuesToBeOfType": "{column} has type {type_}",
    "ExpectColumnValuesToBeInTypeList": "{column} has one of the types: {type_list}",
    "ExpectColumnPairValuesAToBeGreaterThanB": "{column_A} is greater than {column_B}",
}
# (expectation class, argument, value) -> a plainer sentence for common special cases
SPECIAL_CASES = {
    ("ExpectColumnValuesToBeInSet", "value_set", (True,)): "{column} is true",
    ("ExpectColumnValuesToBeInSet", "value_set", (False,)): "{column} is false",
    ("ExpectColumnValuesToMatchRegex", "regex", NOT_BLANK): "{column} is not blank",
    ("ExpectColumnPairValuesAToBeGreaterThanB", "or_equal", True): "{column_A} is at least {column_B}",
}


def describe(check: Check) -> str:
    """A readable one-line description: severity, what must hold, and the check's name."""
    sentence = _rule_sentence(check)
    return f"{SEVERITY_LABELS[check.severity]} · {sentence} · {check.name}"


def _rule_sentence(check: Check) -> str:
    """What the check requires, in words (the check's name in words when its rule is unknown)."""
    if callable(check.build):
        return check.name.split(".", 1)[-1].replace("_", " ")
    class_name, kwargs = check.build
    template = DESCRIPTIONS.get(class_name)
    for (special_class, argument, value), special in SPECIAL_CASES.items():
        given = kwargs.get(argument)
        if special_class == class_name and (tuple(given) if isinstance(given, list) else given) == value:
            template = special
    if template is None:
        return check.name.split(".", 1)[-1].replace("_", " ")
    values = {k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in kwargs.items()}
    return template.format_map(_Missing(values))


class _Missing(dict):
    """format_map helper: an unknown placeholder stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def annotate(expectation: Any, check: Check) -> Any:
    """Give a GX expectation its readable description and severity (Data Docs show the description)."""
    expectation.description = describe(check)
    expectation.severity = check.severity
    return expectation


def install_assets(site_dir: Path) -> None:
    """Copy the vendored CSS, JS and fonts into ``<site>/static/vendor`` (once; cheap when present)."""
    vendor = site_dir / VENDOR
    for asset in ASSETS:
        target = vendor / asset.target
        if target.exists():
            continue
        source = Path(import_module(asset.module).BASE_DIR) / asset.source
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.ttf"))
        else:
            shutil.copyfile(source, target)
    own = vendor / "newsetl"
    own.mkdir(parents=True, exist_ok=True)
    for name in OWN_ASSETS:
        (own / name).write_bytes((resources.files("newsetl.report") / "assets" / name).read_bytes())


def localize(page: str, depth: int) -> str:
    """``page`` with every CDN stylesheet and script replaced by the site's local copies."""
    prefix = "../" * depth
    page = _REMOTE_SCRIPT.sub("", _REMOTE_LINK.sub("", page))
    page = _REMOTE_IMAGE.sub(f'src="{prefix}static/images/logo-long.png"', page)
    page = _REMOTE_CSS_URL.sub("none", page)
    tags = "\n".join(tag.format(p=f"{prefix}{VENDOR}/") for tag in HEAD_TAGS)
    return page.replace("</head>", f"{OFFLINE_MARKER}\n{tags}\n</head>", 1)


def mark_warnings(page: str) -> str:
    """In a validation page: warnings wear a warning sign, and a page whose only failures are
    warnings says "Passed with warnings" instead of "Failed"."""
    from lxml import html  # straight lxml: BeautifulSoup's tree over it took 4x as long per page

    root = html.document_fromstring(page)
    criticals = 0
    for icon in root.xpath(f"//td//i[{_has_class('fa-times')} and {_has_class('text-danger')}]"):
        row = next(icon.iterancestors("tr"), None)
        if row is not None and _text_of(row).startswith(SEVERITY_LABELS["warning"] + " ·"):
            _replace(icon, WARNING_ICON)
        else:
            criticals += 1
    status = next(iter(root.xpath(f"//span[{_has_class('h6')} and contains(text(), 'Status')]")), None)
    icon = next(status.itersiblings("i"), None) if status is not None else None
    marked = criticals == 0 and icon is not None and "fa-times" in (icon.get("class") or "").split()
    if marked:
        if icon.tail and "Failed" in icon.tail:
            icon.tail = icon.tail.replace("Failed", "Passed with warnings", 1)
        _replace(icon, WARNING_STATUS_ICON)
    doctype = root.getroottree().docinfo.doctype
    out = html.tostring(root, encoding="unicode", doctype=doctype or None)
    return out.replace(OFFLINE_MARKER, OFFLINE_MARKER + "\n" + WARNINGS_ONLY_MARKER, 1) if marked else out


def _has_class(name: str) -> str:
    """An XPath test: the element's class attribute lists ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _text_of(element) -> str:
    """The element's text pieces, stripped and joined by single spaces."""
    return " ".join(piece.strip() for piece in element.itertext() if piece.strip())


def _replace(element, markup: str) -> None:
    """Put the element ``markup`` in place of ``element``, keeping the text that followed it."""
    from lxml import html

    new = html.fragment_fromstring(markup)
    new.tail = element.tail
    element.getparent().replace(element, new)


def name_asset(page: str, table: str) -> str:
    """Replace GX's "Data asset: None" (dataframe batches have no asset name) with the table."""
    return page.replace("Data asset: None", f"Data asset: {table}")


def mark_index_warnings(index: str, site_dir: Path) -> str:
    """In the index, rows whose validation page passed with warnings get the warning sign."""
    def replace(match: re.Match) -> str:
        page = site_dir / match.group(3)
        if page.exists() and WARNINGS_ONLY_MARKER in page.read_text(encoding="utf-8", errors="replace"):
            return f"{match.group(1)}fa-exclamation-triangle newsetl-warning{match.group(2)}"
        return match.group(0)

    return _INDEX_ROW.sub(replace, index)


def finish_site(site_dir: Path) -> None:
    """Make every page of the Data Docs site work offline and show warnings as warnings.

    The site keeps a stamp of when its last finish began: pages older than that were finished then
    and are not read again, so a call costs in proportion to the pages written since (a feed's
    site gains pages every run, for months), plus a listing of the folder."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        return
    started, stamp = time.time_ns(), site_dir / FINISHED_STAMP
    since = stamp.stat().st_mtime_ns if stamp.exists() else 0
    install_assets(site_dir)
    index = site_dir / "index.html"
    pages = sorted(site_dir.rglob("*.html"), key=lambda page: (page == index, page))  # the index last
    for path in pages:
        if VENDOR in path.as_posix() or path.stat().st_mtime_ns < since:
            continue
        text = path.read_text(encoding="utf-8")
        if OFFLINE_MARKER in text:
            continue
        relative = path.relative_to(site_dir)
        text = localize(text, len(relative.parts) - 1)
        if relative.parts[0] == "validations":
            text = mark_warnings(name_asset(text, relative.parts[2]))
        if path == index:  # rebuilt by GX: its rows link to pages finished above or earlier
            text = mark_index_warnings(text, site_dir)
        path.write_text(text, encoding="utf-8")
    stamp.touch()
    os.utime(stamp, ns=(started, started))


def validation_pages(site_dir: Path, run_id: str) -> dict[str, Path]:
    """Table -> the Data Docs validation page of that table in run ``run_id`` (the newest if several)."""
    pages: dict[str, Path] = {}
    for path in sorted(Path(site_dir).glob(f"validations/*/*/{run_id}/*/*.html")):
        pages[path.relative_to(site_dir).parts[2]] = path
    return pages

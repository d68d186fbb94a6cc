"""Page-level hints from an HTML head: the `<title>`, and the date, site name and description
that `<meta>` tags carry. The site name falls back to the title's suffix (`讲话_某某文库`).

The page's own URL is kept as `url` when the page states it: `og:url`, `<link rel="canonical">`,
or the corpus wrapper line some crawls put before the HTML (`<text id="http://…" title="…">`).
The metadata stage reads a date from it (`/2020-02/19/`); links to other pages are never read."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaners.chars import FULLWIDTH_PUNCT, collapse_whitespace
from cleaners.html_tree import Node

# <meta> names (lower case) that carry the publication date or the site name.
DATE_META = frozenset((
    "article:published_time", "og:article:published_time", "publishdate", "pubdate", "publish_date",
    "publishtime", "firstpublishedtime", "datepublished", "dc.date", "dc.date.issued", "date",
    "og:release_date", "created",
))
URL_META = frozenset(("og:url", "twitter:url"))
CANONICAL = re.compile(r"<link\b[^>]*?\brel\s*=\s*[\"']?canonical\b[^>]*>", re.I)
HREF = re.compile(r"\bhref\s*=\s*[\"']?([^\"'\s>]+)", re.I)
WRAPPER = re.compile(r"[\ufeff\s]*<text\s+id\s*=\s*[\"'](https?://[^\"'\s]+)[\"']", re.I)
HEAD_CHARS = 30_000  # the canonical link sits in the head
SITE_META = frozenset(("og:site_name", "sitename", "site_name", "application-name"))
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|^(\d{4})(\d{2})(\d{2})")
TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|-|—|–)\s*")


def read_page_meta(
    title_text: str | None, metas: Iterable[Node], html: str = ""
) -> tuple[str | None, dict[str, str]]:
    """The page title and the hints from `<meta>` tags: `date` (YYYY-MM-DD), `site`, `description`,
    and `url` when the page states its own (`og:url`, a canonical link, a wrapper line)."""
    title = collapse_whitespace(title_text) if title_text is not None else ""
    meta: dict[str, str] = {}
    for tag in metas:
        name = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = collapse_whitespace(str(tag.get("content") or ""))
        if not content:
            continue
        if name in DATE_META and "date" not in meta and (date := normalize_date(content)):
            meta["date"] = date
        elif name in URL_META and content.startswith(("http://", "https://")):
            meta.setdefault("url", content)
        elif name in SITE_META:
            meta.setdefault("site", content)
        elif name == "description":
            meta.setdefault("description", content)
    if "url" not in meta and (url := own_url(html)):
        meta["url"] = url
    if "site" not in meta and (site := site_from_title(title)):
        meta["site"] = site
    return title or None, meta


def own_url(html: str) -> str | None:
    """The URL a page states as its own: a corpus wrapper line before the HTML, or the canonical link.

    >>> own_url('<text id="http://news.example.cn/2005-03/21/1.htm" title="t">'), own_url("<p>x</p>")
    ('http://news.example.cn/2005-03/21/1.htm', None)
    """
    wrapper = WRAPPER.match(html[:2000])
    if wrapper:
        return wrapper.group(1)
    head = html[:HEAD_CHARS]
    link = CANONICAL.search(head) if "canonical" in head else None
    href = HREF.search(link.group(0)) if link else None
    return href.group(1) if href and href.group(1).startswith(("http://", "https://")) else None


def normalize_date(text: str) -> str | None:
    """A date as YYYY-MM-DD, or None.

    >>> normalize_date("2026-01-30T08:00:00+08:00"), normalize_date("2026年1月3日"), normalize_date("x")
    ('2026-01-30', '2026-01-03', None)
    """
    match = DATE.search(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups() if g)
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def site_from_title(title: str) -> str | None:
    """The `<title>` suffix after `_`, `-` or `|` when it looks like a site name (short, no sentence).

    >>> site_from_title("在全县大会上的讲话_某某文库"), site_from_title("讲话稿")
    ('某某文库', None)
    """
    parts = [p for p in TITLE_SEPARATOR.split(title) if p]
    if len(parts) < 2:
        return None
    suffix = parts[-1]
    looks_like_name = 2 <= len(suffix) <= 16 and not FULLWIDTH_PUNCT.search(suffix) and not suffix.isdigit()
    return suffix if looks_like_name else None

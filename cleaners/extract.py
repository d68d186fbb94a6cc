"""Turn decoded text into blocks: plain text line by line, HTML by finding the main content.

HTML pages of the genre wrap a speech in navigation, breadcrumbs, sidebars of "hot articles",
VIP offers and footers. The main content is found with a Chinese-aware measure: each text block
weighs its CJK characters and full-width punctuation, discounted by its link density, and credits
its container (readability style). Class/id hints such as `content` or `正文` add weight but are
never required. Everything outside the chosen content is kept as a `Removal` with reason
`outside_main_content`, numbered in document order like the lines, so nothing is silently lost.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag

from cleaners.chars import CJK
from cleaners.document import Extracted, Line, Removal

DROPPED_TAGS = ("script", "style", "noscript", "template", "nav", "aside", "footer", "header", "form",
                "iframe")
BLOCK_TAGS = frozenset((
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "li", "main", "ol", "p",
    "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
))
# Blocks that are one paragraph each: they credit their parent. Other containers holding direct
# text (a `<div>` or `<td>` of `<br>`-separated lines) credit themselves.
PARAGRAPH_TAGS = frozenset(("p", "li", "dd", "dt", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
                            "caption", "figcaption", "address"))
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
POSITIVE_HINT = re.compile(
    r"article|content|正文|detail|text|main|post|entry|news|zhengwen|\bzw\b|\bcon\b", re.I
)
NEGATIVE_HINT = re.compile(
    r"comment|foot|side|nav|menu|related|hot|recommend|share|copyright|crumb|login|header|banner|\bad\b|vip|"
    r"prev|next|pager",
    re.I,
)
HTML_SIGNS = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|br|span|table)\b", re.I)
FULLWIDTH_PUNCT = re.compile(r"[，。；：！？、“”‘’（）《》]")
SENTENCE_END = re.compile(r"[。！？；]")
WHITESPACE_RUN = re.compile(r"\s+")
CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# <meta> names (lower case) that carry the publication date or the site name.
DATE_META = frozenset((
    "article:published_time", "og:article:published_time", "publishdate", "pubdate", "publish_date",
    "publishtime", "firstpublishedtime", "datepublished", "dc.date", "dc.date.issued", "date",
    "og:release_date", "created",
))
SITE_META = frozenset(("og:site_name", "sitename", "site_name", "application-name"))
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|^(\d{4})(\d{2})(\d{2})")
TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|-|—|–)\s*")


@dataclass
class Block:
    """A run of text inside one block element, with how much of it sits inside links."""

    text: str
    element: Tag
    link_chars: int

    @property
    def link_density(self) -> float:
        """Share of the block's visible characters that are link text."""
        return self.link_chars / max(1, len(self.text.replace(" ", "")))


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML markup (at least two structural tags near the top)."""
    return len(HTML_SIGNS.findall(text[:8192])) >= 2


def extract_lines(text: str) -> Extracted:
    """Split decoded text into `Line`s: HTML by its main content, plain text line by line."""
    return extract_html(text) if looks_like_html(text) else extract_plain(text)


def extract_plain(text: str) -> Extracted:
    """One line per text line (blank lines kept as paragraph breaks); the text is not altered.

    >>> [line.text for line in extract_plain("标题\\r\\n\\r\\n同志们：\\n").lines]
    ['标题', '', '同志们：']
    """
    parts = LINE_BREAK.split(text)
    if parts and parts[-1] == "":
        parts.pop()
    return Extracted(lines=tuple(Line(text=part, index=i) for i, part in enumerate(parts)))


def extract_html(html: str) -> Extracted:
    """Keep the blocks of the page's main content (all articles of a compilation) as lines."""
    soup = BeautifulSoup(html, "lxml")
    page_title, meta = read_page_meta(soup)
    drop_chrome_elements(soup)
    blocks = collect_blocks(soup)
    main = choose_main_content(blocks)
    start = next((i for i, b in enumerate(blocks) if main and b.element is main.heading), 0)
    lines: list[Line] = []
    removed: list[Removal] = []
    in_main = subtree_ids(main.elements) if main else set()
    in_top = subtree_ids([main.top]) if main else set()
    for index, block in enumerate(blocks):
        inside = main is None or (
            id(block.element) in in_main and (index >= start or id(block.element) not in in_top)
        )
        if inside and not is_link_list_item(block):
            lines.append(Line(text=block.text, index=index, tag=block.element.name))
        else:
            removed.append(Removal(index, block.text, "outside_main_content", "extract"))
    return Extracted(tuple(lines), is_html=True, page_title=page_title, meta=meta, removed=tuple(removed))


def read_page_meta(soup: BeautifulSoup) -> tuple[str | None, dict[str, str]]:
    """The `<title>` and page hints from `<meta>` tags: `date` (YYYY-MM-DD), `site`, `description`."""
    title = collapse_whitespace(soup.title.get_text()) if soup.title else ""
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = collapse_whitespace(str(tag.get("content") or ""))
        if not content:
            continue
        if name in DATE_META and "date" not in meta and (date := normalize_date(content)):
            meta["date"] = date
        elif name in SITE_META:
            meta.setdefault("site", content)
        elif name == "description":
            meta.setdefault("description", content)
    if "site" not in meta and (site := site_from_title(title)):
        meta["site"] = site
    return title or None, meta


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


def subtree_ids(containers: list[Tag]) -> set[int]:
    """Identities of the containers and every element under them: membership is then one lookup
    per block, where climbing each block's ancestors costs depth times blocks on deep pages."""
    return {id(c) for c in containers} | {
        id(node) for c in containers for node in c.descendants if isinstance(node, Tag)
    }


def drop_chrome_elements(soup: BeautifulSoup) -> None:
    """Remove scripts, styles, navigation, headers/footers, forms, frames and comments."""
    for element in soup.find_all(DROPPED_TAGS):
        element.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()


def collect_blocks(soup: BeautifulSoup) -> list[Block]:
    """Every text block of the page in document order: one per paragraph, heading or `<br>` line."""
    blocks: list[Block] = []
    run: list[tuple[str, bool]] = []
    root = soup.body or soup
    walk_element(root, root, blocks, run)
    flush_run(run, root, blocks)
    return blocks


def walk_element(element: Tag, block_element: Tag, blocks: list[Block], run: list[tuple[str, bool]]) -> None:
    """Append the text runs under `element` to `run`, flushing a block at each block boundary.

    The walk keeps its own stack rather than recursing: a hostile page nested ten thousand
    levels deep must not hit Python's recursion limit. Each stack entry carries whether it lies
    inside a link, so finding link text does not climb the tree again for every string.
    """
    in_link = any(p.name == "a" for p in element.parents)
    stack: list[tuple[Iterator[PageElement], Tag, Tag | None, bool]] = [
        (iter(element.children), block_element, None, in_link)
    ]
    while stack:
        children, block, closing, linked = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if closing is not None:
                flush_run(run, closing, blocks)
        elif isinstance(child, NavigableString):
            run.append((str(child), linked))
        elif isinstance(child, Tag) and child.name == "br":
            flush_run(run, block, blocks)
        elif isinstance(child, Tag) and child.name in BLOCK_TAGS:
            flush_run(run, block, blocks)
            stack.append((iter(child.children), child, child, linked))
        elif isinstance(child, Tag):
            stack.append((iter(child.children), block, None, linked or child.name == "a"))


def flush_run(run: list[tuple[str, bool]], element: Tag, blocks: list[Block]) -> None:
    """Turn the collected text pieces into one block (if any text) and empty the run."""
    text = collapse_whitespace("".join(piece for piece, _ in run))
    link_chars = sum(len(collapse_whitespace(piece).replace(" ", "")) for piece, in_link in run if in_link)
    run.clear()
    if text:
        blocks.append(Block(text=text, element=element, link_chars=link_chars))


def collapse_whitespace(text: str) -> str:
    """Collapse whitespace runs to one space; drop source line breaks between CJK characters.

    >>> collapse_whitespace("  同志们：\\n  今天  we  meet ")
    '同志们：今天 we meet'
    """

    def replace(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        joins_cjk = bool(CJK_OR_PUNCT.match(before) and CJK_OR_PUNCT.match(after))
        return "" if joins_cjk and ("\n" in match.group() or "\r" in match.group()) else " "

    return WHITESPACE_RUN.sub(replace, text).strip()


def weigh_block(block: Block) -> float:
    """How much a block looks like article prose: CJK and full-width punctuation, minus links."""
    if block.element.name in HEADING_TAGS or block.link_density > 0.5:
        return 0.0
    cjk = len(CJK.findall(block.text))
    if cjk < 8:
        return 0.0
    punct = len(FULLWIDTH_PUNCT.findall(block.text))
    return (cjk + 5 * punct) * (1 - block.link_density) ** 2


def is_link_list_item(block: Block) -> bool:
    """A non-heading block that is mostly link text with no sentence: a link list inside content."""
    heading = block.element.name in HEADING_TAGS
    return not heading and block.link_density >= 0.6 and not SENTENCE_END.search(block.text)


@dataclass
class Tally:
    """Per element (keyed by identity: bs4 tags compare by content): credit, prose mass, text/links."""

    credit: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    mass: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    chars: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    link_chars: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    elements: dict[int, Tag] = field(default_factory=dict)

    def mass_of(self, element: Tag) -> float:
        """Prose weight of all blocks under the element."""
        return self.mass.get(id(element), 0.0)

    def link_density(self, element: Tag) -> float:
        """Share of the element's text that is link text (1.0 for an element without text)."""
        chars = self.chars.get(id(element), 0)
        return self.link_chars.get(id(element), 0) / chars if chars else 1.0


def tally_blocks(blocks: list[Block]) -> Tally:
    """Credit each block's weight to its container (full) and the container's parent (half).

    Mass, text and link characters go to the block's element and every ancestor; they are added
    once per element and then summed up the tree, so a page nested thousands of levels deep with
    text at every level costs linear time, not depth times blocks.
    """
    tally = Tally()
    for block in blocks:
        weight = weigh_block(block)
        element = block.element
        container = element.parent if element.name in PARAGRAPH_TAGS and element.parent else element
        tally.credit[id(container)] += weight
        tally.elements[id(container)] = container
        if container.parent is not None:
            tally.credit[id(container.parent)] += weight / 2
            tally.elements[id(container.parent)] = container.parent
        tally.mass[id(element)] += weight
        tally.chars[id(element)] += len(block.text.replace(" ", ""))
        tally.link_chars[id(element)] += block.link_chars
    for node in deepest_first([block.element for block in blocks]):
        parent = node.parent
        if parent is not None:
            tally.mass[id(parent)] += tally.mass[id(node)]
            tally.chars[id(parent)] += tally.chars[id(node)]
            tally.link_chars[id(parent)] += tally.link_chars[id(node)]
    return tally


def deepest_first(elements: list[Tag]) -> list[Tag]:
    """The elements and all their ancestors, each once, every node before its parent."""
    depth: dict[int, int] = {}
    nodes: list[Tag] = []
    for element in elements:
        chain: list[Tag] = []
        node: Tag | None = element
        while node is not None and id(node) not in depth:
            chain.append(node)
            node = node.parent
        base = depth[id(node)] + 1 if node is not None else 0
        for offset, member in enumerate(reversed(chain)):
            depth[id(member)] = base + offset
        nodes += chain
    return sorted(nodes, key=lambda n: depth[id(n)], reverse=True)


def hint_factor(element: Tag) -> float:
    """Weight from class/id names: `content`, `article`, `正文` up; `side`, `footer`, `hot` down."""
    names = " ".join([*element.get("class", []), element.get("id", "")])
    factor = 1.25 if POSITIVE_HINT.search(names) else 1.0
    return factor * (0.7 if NEGATIVE_HINT.search(names) else 1.0)


@dataclass(frozen=True)
class MainContent:
    """The elements holding the main content in document order; `top` is the best of them and,
    when it was widened to take in the title, `heading` is that title (blocks before it in `top`,
    such as a breadcrumb, stay outside)."""

    elements: list[Tag]
    top: Tag
    heading: Tag | None = None


def choose_main_content(blocks: list[Block]) -> MainContent | None:
    """Where the main content is, or None when no block reads as prose."""
    tally = tally_blocks(blocks)
    elements = tally.elements
    scored = {
        key: credit * hint_factor(elements[key]) * (1 - tally.link_density(elements[key]))
        for key, credit in tally.credit.items() if credit
    }
    if not scored:
        return None
    best = tally.elements[max(scored, key=scored.__getitem__)]
    top, heading = include_heading(best, tally)
    return MainContent(merge_siblings(top, tally), top, heading)


def include_heading(top: Tag, tally: Tally) -> tuple[Tag, Tag | None]:
    """Widen `top` to the nearest ancestor (up to 3 levels) holding the title heading just before
    it, as long as that ancestor adds little other prose; return it and the heading."""
    if top.find(HEADING_TAGS):
        return top, None
    ancestor = top
    for _ in range(3):
        ancestor = ancestor.parent
        if ancestor is None or ancestor.name in ("body", "html", "[document]"):
            break
        if tally.mass_of(ancestor) - tally.mass_of(top) > 0.3 * tally.mass_of(top):
            break
        headings = [
            h for h in ancestor.find_all(HEADING_TAGS) if precedes(h, top) and tally.link_density(h) < 0.5
        ]
        if headings:
            return ancestor, headings[-1]
    return top, None


def precedes(first: Tag, second: Tag) -> bool:
    """True when `first` comes before `second` in document order."""
    return any(el is second for el in first.find_all_next())


def merge_siblings(top: Tag, tally: Tally) -> list[Tag]:
    """`top` plus siblings that are more prose of the page: other articles of a compilation."""
    parent = top.parent
    if parent is None:
        return [top]
    chosen = []
    for sibling in parent.find_all(recursive=False):
        if sibling is top:
            chosen.append(top)
            continue
        mass = tally.mass_of(sibling)
        same_kind = sibling.name == top.name and sibling.get("class") == top.get("class")
        enough = mass >= 30 if same_kind else mass >= 0.5 * tally.mass_of(top) and hint_factor(sibling) >= 1
        if enough and tally.link_density(sibling) < 0.3:
            chosen.append(sibling)
    return chosen

"""Turn decoded text into blocks: plain text line by line, HTML by finding the main content.

HTML pages of the genre wrap a speech in navigation, breadcrumbs, sidebars of "hot articles",
VIP offers and footers. The page's text blocks are collected in document order and the main
content is found among them with a Chinese-aware measure (`main_content`). Everything outside
it is kept as a `Removal` with reason `outside_main_content`, numbered in document order like the
lines, so nothing is silently lost. Scripts, styles, navigation, headers, footers, form controls,
frames and comments never make blocks (`html_tree` leaves them out).

Text a reader never sees (`hidden.is_hidden`: jammer strings inside a forum post, a hidden second
copy of the article) is taken out before the main content is scored, as `hidden_text` removals;
a page whose only prose is hidden keeps it. Markup that closes `</html>` early and goes on is
read to its end: the parser opens a second `<html>` for the rest, whose blocks follow the body's.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from cleaners.chars import FULLWIDTH_PUNCT, collapse_whitespace, count_cjk
from cleaners.document import Extracted, Line, Removal
from cleaners.hidden import is_hidden
from cleaners.html_tree import HEADING_TAGS, Node, Page, parse_html, text_of
from cleaners.main_content import (
    SENTENCE_END,
    Block,
    MainContent,
    choose_main_content,
    is_link_list_item,
    mark_comment_sections,
    weigh_block,
)
from cleaners.page_meta import read_page_meta

BLOCK_TAGS = frozenset((
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "li", "main", "ol", "p",
    "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
))
# A paragraph all in these reads as emphasised: a subheading, if it is short and no sentence.
BOLD_TAGS = frozenset(("b", "strong"))
HTML_SIGNS = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|br|span|table)\b", re.I)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
HIDDEN_SHARE = 2.0  # hidden text this many times the visible content's prose is the article
SPILL_LEVELS = 3  # how far up broken markup may hang the rest of a paragraph


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML markup (at least two structural tags near the top)."""
    return len(list(itertools.islice(HTML_SIGNS.finditer(text, 0, 8192), 2))) == 2  # the first two do


def extract_lines(text: str) -> Extracted:
    """Split decoded text into `Line`s: HTML by its main content, plain text line by line."""
    return extract_html(text) if looks_like_html(text) else extract_plain(text)


def extract_plain(text: str) -> Extracted:
    """One line per text line (blank lines kept as paragraph breaks); the text is not altered.

    >>> [line.text for line in extract_plain("标题\\r\\n\\r\\n同志们：\\n").lines]
    ['标题', '', '同志们：']
    """
    parts = split_line_breaks(text)
    if parts and parts[-1] == "":
        parts.pop()
    return Extracted(lines=tuple(Line(text=part, index=i) for i, part in enumerate(parts)))


def split_line_breaks(text: str) -> list[str]:
    """`text` split at CRLF, CR and LF, as `LINE_BREAK.split` does, by `str.split`: the regex
    tries three alternatives at every character and costs eight times as much on a page.

    >>> text = "甲\\r\\n乙\\r丙\\n\\r\\r\\n丁"
    >>> split_line_breaks(text) == LINE_BREAK.split(text)
    True
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def extract_html(html: str) -> Extracted:
    """Keep the blocks of the page's main content (all articles of a compilation) as lines."""
    page = parse_html(html)
    page_title, meta = read_page_meta(page.title, page.metas, html)
    collector, main = find_main_content(page)
    blocks = collector.blocks
    start = next((i for i, b in enumerate(blocks) if main and b.element is main.heading), 0)
    spilled = spilled_text(blocks, main.top) if main else set()
    lines: list[Line] = []
    removed: list[Removal] = []
    for index, block in enumerate(blocks):
        element = block.element
        inside = main is None or index in spilled or (
            main.contains(element) and (index >= start or not main.top.contains(element))
        )
        if block.in_comments:
            removed.append(Removal(index, block.text, "comments", "extract"))
        elif inside and not is_link_list_item(block):
            tag = "b" if block.bold and element.name not in HEADING_TAGS else element.name
            lines.append(Line(text=block.text, index=index, tag=tag))
        else:
            removed.append(Removal(index, block.text, "outside_main_content", "extract"))
    removed.extend(Removal(index, text, "hidden_text", "extract") for index, text in collector.hidden)
    removed.sort(key=lambda r: r.index)
    return Extracted(tuple(lines), is_html=True, page_title=page_title, meta=meta, removed=tuple(removed))


def spilled_text(blocks: list[Block], top: Node) -> set[int]:
    """The blocks around or among the content's own that broken markup spilled into a container
    of it.

    A `<table>` (an ad) inside a `<p>` ends the paragraph, and the parser hangs the text after it
    on an outer cell; a forum post's first paragraph sits in the cell before the `<font>` that
    holds the rest. Such blocks, sentences of prose right before the content's first block, among
    its blocks or right after its last one, are the article's own.
    """
    inside = [i for i, b in enumerate(blocks) if top.contains(b.element)]
    if not inside:
        return set()
    containers = set(itertools.islice(top.ancestors(), SPILL_LEVELS))

    def is_spilled(block: Block) -> bool:
        prose = weigh_block(block) > 0 and SENTENCE_END.search(block.text) is not None
        return prose and block.element in containers

    spilled = set()
    for index in range(inside[0] - 1, -1, -1):
        if not is_spilled(blocks[index]):
            break
        spilled.add(index)
    for index in range(inside[0], len(blocks)):
        block = blocks[index]
        if top.contains(block.element):
            continue
        if is_spilled(block):
            spilled.add(index)
        elif index > inside[-1]:
            break
    return spilled


def find_main_content(page: Page) -> tuple[BlockCollector, MainContent | None]:
    """The page's blocks and where its main content is. Comment sections and hidden text are
    left out of the choice, unless without them the page holds no prose at all. Hidden text is
    also read when it outweighs the visible content `HIDDEN_SHARE` times: a page whose script
    reveals the article (a WeChat mirror's `visibility: hidden` body), not a hidden copy."""
    collector = collect_blocks(page)
    main = choose_visible(collector, page)
    if collector.hidden and hidden_outweighs(collector, main):
        collector = collect_blocks(page, drop_hidden=False)
        main = choose_visible(collector, page)
    return collector, main


def choose_visible(collector: BlockCollector, page: Page) -> MainContent | None:
    """The main content outside comment sections, or among them when there is nothing else."""
    has_comments = mark_comment_sections(collector.blocks)
    main = choose_main_content(collector.blocks, page.headings)
    if main is None and has_comments:
        for block in collector.blocks:
            block.in_comments = False
        main = choose_main_content(collector.blocks, page.headings)
    return main


def hidden_outweighs(collector: BlockCollector, main: MainContent | None) -> bool:
    """Whether the hidden text holds `HIDDEN_SHARE` times the prose of the chosen content and is
    not a copy of it (the chosen content's longest block is in no hidden text)."""
    hidden = sum(count_cjk(text) + 5 * len(FULLWIDTH_PUNCT.findall(text)) for _, text in collector.hidden)
    if main is None:
        return hidden > 0
    shown = [b for b in collector.blocks if main.contains(b.element)]
    if hidden <= HIDDEN_SHARE * sum(weigh_block(b) for b in shown):
        return False
    longest = max((b.text for b in shown), key=len, default="")
    return not any(longest in text for _, text in collector.hidden)


def collect_blocks(page: Page, drop_hidden: bool = True) -> BlockCollector:
    """Every text block of the page in document order: one per paragraph, heading or `<br>` line;
    with `drop_hidden`, hidden elements' text is kept apart in `hidden` instead."""
    collector = BlockCollector(drop_hidden)
    for root in content_roots(page):
        collector.walk(root)
        collector.flush(root)
    return collector


def content_roots(page: Page) -> list[Node]:
    """`<body>`, and what markup closing `</html>` early puts after it (the parser opens a second
    `<html>` for the rest of the page); the whole tree for a page without a body.

    >>> from cleaners.html_tree import parse_html
    >>> [n.name for n in content_roots(parse_html("<p>甲</p></body></html><p>乙</p>"))]
    ['body', 'html']
    """
    body = page.body
    if body is None:
        return [page.root]
    if body.last == page.root.last:
        return [body]
    roots = [body]
    for top in page.root.element_children():
        if top.order > body.last:
            roots.append(top)
        elif top.contains(body):
            roots.extend(child for child in top.element_children() if child.order > body.last)
    return roots


class BlockCollector:
    """Gathers the text pieces met in a walk, and the link text among them, into blocks; the text
    of hidden elements goes to `hidden` as (block position, text) when `drop_hidden` is set."""

    def __init__(self, drop_hidden: bool = True) -> None:
        self.blocks: list[Block] = []
        self.pieces: list[str] = []
        self.link_pieces: list[str] = []
        self.plain = False  # some visible text of the pieces lies outside <b> and <strong>
        self.hidden: list[tuple[int, str]] = []
        self.drop_hidden = drop_hidden

    def walk(self, element: Node) -> None:
        """Collect the text under `element`, flushing a block at each block boundary.

        The walk keeps its own stack rather than recursing: a hostile page nested ten thousand
        levels deep must not hit Python's recursion limit. Each stack entry carries whether it
        lies inside a link, so finding link text does not climb the tree again for every string.
        """
        in_link = any(p.name == "a" for p in element.ancestors())
        in_bold = any(p.name in BOLD_TAGS for p in element.ancestors())
        pieces, link_pieces = self.pieces, self.link_pieces
        stack: list[tuple[Iterator[str | Node], Node, Node | None, bool, bool]] = [
            (iter(element.children), element, None, in_link, in_bold)
        ]
        while stack:
            children, block, closing, linked, bold = stack.pop()
            for child in children:
                if isinstance(child, str):
                    space = child.isspace()
                    if space and not pieces:
                        continue  # whitespace before a block's first text changes nothing in it
                    pieces.append(child)
                    if linked:
                        link_pieces.append(child)
                    if not (bold or space):
                        self.plain = True
                    continue
                name = child.name
                if self.drop_hidden and child.attrs and is_hidden(child):
                    if name in BLOCK_TAGS:
                        self.flush(block)
                    self.hide(child)
                elif name == "br":
                    self.flush(block)
                elif name in BLOCK_TAGS:
                    self.flush(block)
                    if child.children:
                        stack.append((children, block, closing, linked, bold))
                        stack.append((iter(child.children), child, child, linked, bold))
                        break
                elif child.children:
                    stack.append((children, block, closing, linked, bold))
                    opens_bold = bold or name in BOLD_TAGS
                    stack.append((iter(child.children), block, None, linked or name == "a", opens_bold))
                    break
            else:  # the children are done: the element ends
                if closing is not None:
                    self.flush(closing)

    def hide(self, element: Node) -> None:
        """Keep a hidden element's text apart, at the position of the block it sits in."""
        text = collapse_whitespace(text_of(element))
        if text:
            self.hidden.append((len(self.blocks), text))

    def flush(self, element: Node) -> None:
        """Turn the collected pieces into one block of `element` (if they hold any text).

        Link characters are the non-whitespace characters of the pieces inside links.
        """
        if not self.pieces:
            return
        text = collapse_whitespace("".join(self.pieces))
        link_chars = len("".join("".join(self.link_pieces).split())) if self.link_pieces else 0
        bold = not self.plain
        self.pieces.clear()
        self.link_pieces.clear()
        self.plain = False
        if text:
            link_density = link_chars / max(1, len(text) - text.count(" "))
            self.blocks.append(Block(text, element, link_chars, link_density, bold=bold))

"""Find a page's main content among its text blocks.

Each block weighs its CJK characters and full-width punctuation, discounted by its link density,
and credits its container in full and the container's parent by half (readability style).
Class/id hints such as `content` or `正文` add weight but are never required. The best container
is widened to take in a title heading just above it, and joined by sibling containers that hold
more prose of the page (the other articles of a compilation).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from cleaners.chars import FULLWIDTH_PUNCT, SENTENCE_END, count_cjk
from cleaners.content_edges import following_tables, prune_link_boxes
from cleaners.html_tree import DOCUMENT, HEADING_TAGS, Node
from cleaners.post_units import first_post

# Blocks that are one paragraph each: they credit their parent. Other containers holding direct
# text (a `<div>` or `<td>` of `<br>`-separated lines) credit themselves.
PARAGRAPH_TAGS = frozenset(("p", "li", "dd", "dt", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
                            "caption", "figcaption", "address"))
POSITIVE_HINT = re.compile(
    r"article|content|正文|detail|text|main|post|entry|news|zhengwen|\bzw\b|\bcon\b", re.I
)
NEGATIVE_HINT = re.compile(
    r"comment|foot|side|nav|menu|related|hot|recommend|share|copyright|crumb|login|header|banner|\bad\b|vip|"
    r"prev|next|pager",
    re.I,
)
# Readers' comments under an article or a blog post: a long thread of short replies outweighs a
# short post, so a comment section never counts as prose (readability drops such nodes too).
# (`commentary` is a genre of article, not a comment section.)
COMMENT_HINT = re.compile(r"comment(?!ar)|repl(?:y|ies)|feedback|respond|pinglun|liuyan|评论|留言|跟帖", re.I)


@dataclass(slots=True)
class Block:
    """A run of text inside one block element, with how much of it sits inside links.

    `link_density` is the share of the block's visible characters that are link text.
    """

    text: str
    element: Node
    link_chars: int
    link_density: float
    in_comments: bool = False
    bold: bool = False  # every visible character inside <b> or <strong>


def mark_comment_sections(blocks: list[Block]) -> bool:
    """Flag the blocks inside an element named as a comment section; True when any is.

    Each element is judged once (a memo over the tree), so the cost is linear in the page.
    """
    memo: dict[Node, bool] = {}
    found = False
    for block in blocks:
        path: list[Node] = []
        node: Node | None = block.element
        while node is not None and node not in memo:
            path.append(node)
            node = node.parent
        inside = memo[node] if node is not None else False
        for element in reversed(path):
            inside = inside or is_comment_section(element)
            memo[element] = inside
        block.in_comments = inside
        found = found or inside
    return found


def is_comment_section(element: Node) -> bool:
    """Whether the element's class or id names it a comment section (`comments`, `replylist`…)."""
    attrs = element.attrs
    if ("class" not in attrs and "id" not in attrs) or element.name in ("body", "html"):
        return False
    names = " ".join([*attrs.get("class", ()), attrs.get("id", "")])
    return bool(names) and COMMENT_HINT.search(names) is not None


def weigh_block(block: Block) -> float:
    """How much a block looks like article prose: CJK and full-width punctuation, minus links."""
    if block.in_comments or block.element.name in HEADING_TAGS or block.link_density > 0.5:
        return 0.0
    cjk = count_cjk(block.text)
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
    """Per element: credit, prose mass, text and link characters."""

    credit: dict[Node, float] = field(default_factory=lambda: defaultdict(float))
    mass: dict[Node, float] = field(default_factory=lambda: defaultdict(float))
    chars: dict[Node, int] = field(default_factory=lambda: defaultdict(int))
    link_chars: dict[Node, int] = field(default_factory=lambda: defaultdict(int))

    def mass_of(self, element: Node) -> float:
        """Prose weight of all blocks under the element."""
        return self.mass.get(element, 0.0)

    def link_density(self, element: Node) -> float:
        """Share of the element's text that is link text (1.0 for an element without text)."""
        chars = self.chars.get(element, 0)
        return self.link_chars.get(element, 0) / chars if chars else 1.0


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
        tally.credit[container] += weight
        if container.parent is not None:
            tally.credit[container.parent] += weight / 2
        tally.mass[element] += weight
        tally.chars[element] += len(block.text.replace(" ", ""))
        tally.link_chars[element] += block.link_chars
    for node in deepest_first([block.element for block in blocks]):
        parent = node.parent
        if parent is not None:
            tally.mass[parent] += tally.mass[node]
            tally.chars[parent] += tally.chars[node]
            tally.link_chars[parent] += tally.link_chars[node]
    return tally


def deepest_first(elements: list[Node]) -> list[Node]:
    """The elements and all their ancestors, each once, every node before its parent."""
    seen: set[Node] = set()
    nodes: list[Node] = []
    for element in elements:
        node: Node | None = element
        while node is not None and node not in seen:
            seen.add(node)
            nodes.append(node)
            node = node.parent
    return sorted(nodes, key=lambda n: n.depth, reverse=True)


def hint_factor(element: Node) -> float:
    """Weight from class/id names: `content`, `article`, `正文` up; `side`, `footer`, `hot` down."""
    names = " ".join([*element.get("class", []), element.get("id", "")])
    factor = 1.25 if POSITIVE_HINT.search(names) else 1.0
    return factor * (0.7 if NEGATIVE_HINT.search(names) else 1.0)


@dataclass(frozen=True)
class MainContent:
    """The elements holding the main content in document order; `top` is the best of them and,
    when it was widened to take in the title, `heading` is that title (blocks before it in `top`,
    such as a breadcrumb, stay outside)."""

    elements: list[Node]
    top: Node
    heading: Node | None = None
    pruned: list[Node] = field(default_factory=list)

    def contains(self, node: Node) -> bool:
        """Whether the node lies in one of the elements (siblings, so their spans are sorted) and
        outside the link boxes pruned from them (disjoint, in document order)."""
        i = bisect_right(self.elements, node.order, key=lambda e: e.order) - 1
        if i < 0 or not self.elements[i].contains(node):
            return False
        if not self.pruned:
            return True
        j = bisect_right(self.pruned, node.order, key=lambda e: e.order) - 1
        return j < 0 or not self.pruned[j].contains(node)


def choose_main_content(blocks: list[Block], headings: tuple[Node, ...]) -> MainContent | None:
    """Where the main content is, or None when no block reads as prose."""
    tally = tally_blocks(blocks)
    scored = {
        element: credit * hint_factor(element) * (1 - tally.link_density(element))
        for element, credit in tally.credit.items() if credit
    }
    if not scored:
        return None
    best = first_post(max(scored, key=scored.__getitem__), tally)
    top, heading = include_heading(best, tally, headings)
    elements = merge_siblings(top, tally)
    tables = [t for t in following_tables(top, tally) if t not in elements]
    elements = sorted([*elements, *tables], key=lambda e: e.order)
    return MainContent(elements, top, heading, prune_link_boxes(elements, tally))


def include_heading(top: Node, tally: Tally, headings: tuple[Node, ...]) -> tuple[Node, Node | None]:
    """Widen `top` to the nearest ancestor (up to 3 levels) holding the title heading just before
    it, as long as that ancestor adds little other prose; return it and the heading."""
    if any(top.order < h.order <= top.last for h in headings):
        return top, None
    ancestor = top
    for _ in range(3):
        ancestor = ancestor.parent
        if ancestor is None or ancestor.name in ("body", "html", DOCUMENT):
            break
        if tally.mass_of(ancestor) - tally.mass_of(top) > 0.3 * tally.mass_of(top):
            break
        before = [
            h for h in headings
            if ancestor.order < h.order < top.order and tally.link_density(h) < 0.5
        ]
        if before:
            return ancestor, before[-1]
    return top, None


def merge_siblings(top: Node, tally: Tally) -> list[Node]:
    """`top` plus siblings that are more prose of the page: other articles of a compilation. A
    sibling of exactly top's size in text and prose is a second layout copy of it (a desktop and
    a mobile version), not another article."""
    parent = top.parent
    if parent is None:
        return [top]
    chosen = []
    size = (tally.chars.get(top, 0), tally.mass_of(top))
    for sibling in parent.element_children():
        if sibling is top:
            chosen.append(top)
            continue
        mass = tally.mass_of(sibling)
        if (tally.chars.get(sibling, 0), mass) == size:
            continue
        same_kind = sibling.name == top.name and sibling.get("class") == top.get("class")
        enough = mass >= 30 if same_kind else mass >= 0.5 * tally.mass_of(top) and hint_factor(sibling) >= 1
        if enough and tally.link_density(sibling) < 0.3:
            chosen.append(sibling)
    return chosen

"""Parse HTML into the small tree that extraction walks: the tree BeautifulSoup(html, "lxml") builds,
without its cost.

lxml's HTML parser sends its events (start, end, data, comment, doctype) to `TreeBuilder`, which
applies BeautifulSoup's rules to them: text between two events is one string, a string of ASCII
whitespace only becomes one space or newline (unless a `<pre>` or `<textarea>` is open), `class`
is a list of names. So the blocks, titles and removals are exactly those BeautifulSoup gives, at a
fraction of the cost of its `Tag` objects.

Extraction never looks at scripts, styles, navigation, headers, footers, form controls, frames and
comments, so `TreeBuilder` leaves them out of the tree; only the `<title>` and `<meta>` tags are
read from the whole page, wherever they sit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

# A `<form>` is not dropped: ASP.NET and other page frameworks wrap the whole page, article and
# all, in one. Its controls are (a comment box's text, a select list's options, button labels).
DROPPED_TAGS = frozenset((
    "script", "style", "noscript", "template", "nav", "aside", "footer", "header", "iframe",
    "select", "button", "textarea",
))
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
DOCUMENT = "[document]"  # BeautifulSoup's name for the root above <html>
# Inside these, whitespace-only strings are kept as they are.
PRESERVE_WHITESPACE_TAGS = frozenset(("pre", "textarea"))
# Strings inside these are not plain page text (BeautifulSoup gives them their own classes), so a
# `<title>`'s text leaves them out.
STRING_CONTAINER_TAGS = frozenset(("rt", "rp", "style", "script", "template"))
SPECIAL_TAGS = DROPPED_TAGS | PRESERVE_WHITESPACE_TAGS | STRING_CONTAINER_TAGS
NOTED_TAGS = HEADING_TAGS | {"title", "meta", "body"}
ASCII_SPACES = " \n\t\x0c\r"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


class OtherText(str):
    """Text that is not plain page text: a doctype, or a string inside `<rt>`, `<rp>`, `<template>`…"""

    __slots__ = ()


class Node:
    """One element. `children` holds strings and Nodes in document order.

    `order` is the element's position in document order (the root is 0) and `last` the position
    of its last descendant, so `contains` is two comparisons; `depth` counts its ancestors.
    Nodes compare and hash by identity.
    """

    __slots__ = ("name", "attrs", "parent", "children", "order", "last", "depth")

    def __init__(self, name: str, attrs: dict[str, str | list[str]], parent: Node | None, order: int) -> None:
        self.name = name
        self.attrs = attrs
        self.parent = parent
        self.children: list[str | Node] = []
        self.order = order
        self.last = order
        self.depth = parent.depth + 1 if parent is not None else 0

    def get(self, key: str, default: str | list[str] | None = None) -> str | list[str] | None:
        """An attribute's value (`class` is a list of names), or `default`."""
        return self.attrs.get(key, default)

    def contains(self, other: Node) -> bool:
        """Whether `other` is this element or one of its descendants."""
        return self.order <= other.order <= self.last

    def ancestors(self) -> Iterator[Node]:
        """The parent, its parent, and so on up to the root."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def element_children(self) -> list[Node]:
        """The child elements, without the strings."""
        return [child for child in self.children if isinstance(child, Node)]


@dataclass(frozen=True)
class Page:
    """A parsed page: the root element, `<body>` (None without one), the `<title>` text (None
    without a title), every `<meta>` and every heading, each in document order."""

    root: Node
    body: Node | None
    title: str | None
    metas: tuple[Node, ...]
    headings: tuple[Node, ...]


# One parser per thread, used page after page: making one with a Python target costs a fifth
# of parsing a small page (lxml inspects the target's methods each time). lxml parsers are not
# thread-safe, hence one per thread. The parser is fed the page as UTF-8 bytes: the
# events are the same as for the `str` (lxml encodes it to UTF-8 too), a large page's parse is
# about 8% quicker.
_PARSERS = threading.local()


def parse_html(html: str) -> Page:
    """Parse a page with lxml's HTML parser into the tree BeautifulSoup would build.

    >>> page = parse_html("<title>讲话</title><p class='a  b'>同志们<!-- x -->：<script>s()</script></p>")
    >>> page.title, page.body.children[0].get("class"), page.body.children[0].children
    ('讲话', ['a', 'b'], ['同志们', '：'])
    """
    if html.startswith("\ufeff"):
        html = html[1:]
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.HTMLParser(
            target=TreeBuilder(), recover=True, huge_tree=False, encoding="utf-8"
        )
    try:
        parser.feed(html.encode("utf-8"))
        return parser.close()
    except BaseException:
        _PARSERS.parser = None  # one an error stopped half-way is not used again
        raise


class TreeBuilder:
    """The target of lxml's parser events; `close` returns the `Page` and makes the builder ready
    for the next page."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start an empty page."""
        self.root = Node(DOCUMENT, {}, None, 0)
        self.stack = [self.root]
        self.pending: list[str] = []
        self.count = 1
        self.preserving = self.containing = self.dropping = 0
        self.body: Node | None = None
        self.title: Node | None = None
        self.metas: list[Node] = []
        self.headings: list[Node] = []

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        """Open an element; one under a dropped tag is built but never attached to the tree."""
        if self.pending:
            self.flush()
        parent = self.stack[-1]
        node = Node(tag, element_attributes(attrib) if attrib else {}, parent, self.count)
        self.count += 1
        self.stack.append(node)
        if tag in SPECIAL_TAGS:
            self.track(tag, 1)
        if tag not in DROPPED_TAGS:
            parent.children.append(node)
        if tag in NOTED_TAGS:
            self.note(node)

    def track(self, tag: str, step: int) -> None:
        """Count the open elements that change how strings are kept: `<pre>`, string containers,
        dropped tags."""
        self.preserving += step * (tag in PRESERVE_WHITESPACE_TAGS)
        self.containing += step * (tag in STRING_CONTAINER_TAGS)
        self.dropping += step * (tag in DROPPED_TAGS)

    def note(self, node: Node) -> None:
        """Remember the first `<title>`, every `<meta>`, and the first `<body>` and the headings
        outside the dropped tags."""
        if node.name == "title" and self.title is None:
            self.title = node
        elif node.name == "meta":
            self.metas.append(node)
        elif not self.dropping and node.name == "body" and self.body is None:
            self.body = node
        elif not self.dropping and node.name in HEADING_TAGS:
            self.headings.append(node)

    def end(self, tag: str) -> None:
        """Close the innermost open element: lxml's events nest properly, so it is the `tag` one."""
        if self.pending:
            self.flush()
        self.pop()

    def pop(self) -> None:
        """Close the innermost open element."""
        node = self.stack.pop()
        node.last = self.count - 1
        if node.name in SPECIAL_TAGS:
            self.track(node.name, -1)

    def data(self, text: str) -> None:
        """Collect text; it becomes a string at the next event."""
        self.pending.append(text)

    def comment(self, text: str) -> None:
        """Comments are dropped, but they end the string before them."""
        self.flush()

    def doctype(self, name: str | None, public_id: str | None, system_id: str | None) -> None:
        """A doctype is a string of the root, written as BeautifulSoup writes it."""
        self.flush()
        value = name or ""
        if public_id is not None:
            value += f' PUBLIC "{public_id}"' + (f' "{system_id}"' if system_id is not None else "")
        elif system_id is not None:
            value += f' SYSTEM "{system_id}"'
        self.stack[-1].children.append(OtherText(value))

    def flush(self) -> None:
        """Turn the collected text into one string of the innermost open element."""
        if not self.pending:
            return
        text = "".join(self.pending)
        self.pending.clear()
        if not self.preserving and not text.strip(ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        self.stack[-1].children.append(OtherText(text) if self.containing else text)

    def close(self) -> Page:
        """Close what is still open and return the page."""
        self.flush()
        while len(self.stack) > 1:
            self.pop()
        self.root.last = self.count - 1
        title = plain_text(self.title) if self.title is not None else None
        page = Page(self.root, self.body, title, tuple(self.metas), tuple(self.headings))
        self.reset()
        return page


def element_attributes(attrib: dict[str, str]) -> dict[str, str | list[str]]:
    """The attributes as BeautifulSoup keeps them: `class` split into names, and a `{namespace}name`
    key named by the namespace's prefix (`xml` is the only one known in HTML).

    lxml hands each start event a new dict, which is kept as it is when no key needs renaming:
    no key sorts at or after "{", which one `max` tells in C.
    """
    if max(attrib) < "{":
        attrs: dict[str, str | list[str]] = attrib  # type: ignore[assignment]
    else:
        attrs = {attribute_name(key): value for key, value in attrib.items()}
    classes = attrs.get("class")
    if isinstance(classes, str):
        attrs["class"] = classes.split()
    return attrs


def attribute_name(key: str) -> str:
    """BeautifulSoup's name for an attribute key lxml gives.

    >>> attribute_name("id"), attribute_name("{urn:x}class"), attribute_name(f"{{{XML_NAMESPACE}}}lang")
    ('id', 'class', 'xml:lang')
    """
    if not key.startswith("{") or "}" not in key:
        return key
    namespace, name = key[1:].split("}", 1)
    prefix = "xml" if namespace == XML_NAMESPACE else None
    if not name:
        return str(prefix)
    return f"{prefix}:{name}" if prefix else name


def text_of(element: Node) -> str:
    """All the text under an element, in document order (walked without recursion).

    >>> text_of(parse_html("<div>讲<b>话<i>稿</i></b>。</div>").body)
    '讲话稿。'
    """
    pieces: list[str] = []
    stack: list[str | Node] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            pieces.append(item)
        else:
            stack.extend(reversed(item.children))
    return "".join(pieces)


def plain_text(title: Node) -> str:
    """The plain strings of a `<title>` (BeautifulSoup's `get_text`); the parser reads a title as
    text only, so it has no child elements."""
    return "".join(child for child in title.children if type(child) is str)

"""Tests for text extraction: plain text lines, the main content of made-up HTML pages, and the
page tree, which must be the one BeautifulSoup(html, "lxml") builds."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from bs4 import BeautifulSoup, Comment
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.extract import extract_lines, looks_like_html
from cleaners.html_tree import DROPPED_TAGS, HEADING_TAGS, parse_html

PARA_1 = "今天我们召开全区河湖治理工作会议，主要任务是总结去年工作，部署今年任务。希望大家认真领会。"
PARA_2 = "河湖治理是一项长期任务，必须坚持问题导向、系统治理，持续巩固提升河湖面貌，守护好一江碧水。"
PARA_3 = "各级河长要切实履职尽责，经常巡河查河，发现问题及时处置，确保河湖管理责任落到实处、见到实效。"

PAGE = f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>在全区河湖治理工作会议上的讲话_清源范文网</title>
<meta property="article:published_time" content="2025-04-08T09:30:00+08:00">
<meta name="description" content="河湖治理工作会议讲话">
<script>document.write("广告位招租")</script><style>.x{{color:red}}</style></head>
<body>
<div class="topbar"><a href="/">首页</a> | <a href="/jhg">讲话稿</a> | <a href="/login">登录</a></div>
<div class="wrap">
 <div class="lmain">
  <div class="pos">当前位置：<a href="/">首页</a> &gt; 正文</div>
  <div class="tit"><h1>在全区河湖治理工作会议上的讲话</h1></div>
  <div class="meta-row">发布时间：2025-04-08　来源：本站整理</div>
  <div id="zoom">
   <p>同志们：</p>
   <p>{PARA_1}</p>
   <!-- 编辑注释：不要显示 -->
   <p>一、<span>压实</span><span>河长</span>责任</p>
   <p>{PARA_2}</p>
   <div>{PARA_3}<br>要加强&ldquo;河长+&rdquo;协作&amp;联动。<br/>谢谢大家！</div>
  </div>
 </div>
 <div class="rbox"><h3>热门范文</h3><ul>
  <li><a href="/a/1">在全区防汛工作会议上的讲话</a></li><li><a href="/a/2">在全区教育大会上的讲话</a></li>
 </ul></div>
</div>
<div class="foot">清源范文网 版权所有 某ICP备00000000号</div>
</body></html>"""


def test_looks_like_html() -> None:
    assert looks_like_html(PAGE)
    assert not looks_like_html("同志们：\n要确保“1+1>2”的效果，a<b 也无妨。\n")


def test_plain_text_lines_kept_verbatim() -> None:
    text = "在大会上的讲话\r\n\r\n\u3000\u3000同志们：\r第二行  两个空格\n\n最后一行\n"
    extracted = extract_lines(text)
    assert not extracted.is_html
    assert [line.text for line in extracted.lines] == [
        "在大会上的讲话", "", "\u3000\u3000同志们：", "第二行  两个空格", "", "最后一行",
    ]
    assert [line.index for line in extracted.lines] == list(range(6))
    assert all(line.tag == "" for line in extracted.lines)


def test_html_main_content_lines() -> None:
    extracted = extract_lines(PAGE)
    texts = [line.text for line in extracted.lines]
    assert extracted.is_html
    assert texts == [
        "在全区河湖治理工作会议上的讲话",
        "发布时间：2025-04-08 来源：本站整理",
        "同志们：",
        PARA_1,
        "一、压实河长责任",
        PARA_2,
        PARA_3,
        "要加强“河长+”协作&联动。",
        "谢谢大家！",
    ]
    assert extracted.lines[0].tag == "h1"
    assert extracted.lines[2].tag == "p"


def test_html_chrome_goes_to_removed_in_document_order() -> None:
    extracted = extract_lines(PAGE)
    removed = {r.text: r for r in extracted.removed}
    assert all(r.reason == "outside_main_content" and r.stage == "extract" for r in extracted.removed)
    first_line = extracted.lines[0].index
    assert removed["首页 | 讲话稿 | 登录"].index < first_line
    assert removed["当前位置：首页 > 正文"].index < first_line
    assert removed["热门范文"].index > extracted.lines[-1].index
    assert "在全区防汛工作会议上的讲话" in removed
    assert removed["清源范文网 版权所有 某ICP备00000000号"].index > extracted.lines[-1].index
    everything = " ".join([*removed, *(line.text for line in extracted.lines)])
    assert "广告位招租" not in everything and "编辑注释" not in everything and "color" not in everything


def test_html_page_meta() -> None:
    extracted = extract_lines(PAGE)
    assert extracted.page_title == "在全区河湖治理工作会议上的讲话_清源范文网"
    assert extracted.meta == {
        "date": "2025-04-08", "site": "清源范文网", "description": "河湖治理工作会议讲话"
    }


def test_site_from_og_site_name() -> None:
    page = PAGE.replace("<head>", '<head><meta property="og:site_name" content="清源网">')
    assert extract_lines(page).meta["site"] == "清源网"


def test_compilation_keeps_every_article_in_order() -> None:
    article = (
        '<div class="item"><h2>{title}</h2>'
        '<div class="txt"><p>同志们：</p><p>{a}</p><p>{b}</p></div></div>'
    )
    page = (
        "<html><head><title>讲话稿合集 - 清源范文网</title></head><body>"
        '<div class="menu"><a href="/">首页</a> | <a href="/a">范文</a> | <a href="/b">合集</a></div>'
        '<div class="list">'
        + article.format(title="在全区河湖治理工作会议上的讲话", a=PARA_1, b=PARA_2)
        + article.format(title="在全区河长制推进会上的讲话", a=PARA_3, b=PARA_2)
        + '</div><div class="pager"><a href="/p/2">下一页</a></div></body></html>'
    )
    extracted = extract_lines(page)
    headings = [(line.text, line.tag) for line in extracted.lines if line.tag.startswith("h")]
    assert headings == [("在全区河湖治理工作会议上的讲话", "h2"), ("在全区河长制推进会上的讲话", "h2")]
    assert [line.text for line in extracted.lines].count(PARA_2) == 2
    assert PARA_3 in [line.text for line in extracted.lines]
    assert {r.text for r in extracted.removed} == {"首页 | 范文 | 合集", "下一页"}


def test_compilation_of_sibling_article_blocks_with_sidebar_between() -> None:
    article = '<div class="art"><h1>{title}</h1><div class="body"><p>{a}</p><p>{b}</p></div></div>'
    page = (
        "<html><body><div>"
        + article.format(title="在全区河湖治理工作会议上的讲话", a=PARA_1, b=PARA_2)
        + '<div class="vipbox">开通会员 <a href="/vip">立即开通</a></div>'
        + article.format(title="在全区河长制推进会上的讲话", a=PARA_3, b=PARA_1)
        + "</div></body></html>"
    )
    extracted = extract_lines(page)
    h1s = [line.text for line in extracted.lines if line.tag == "h1"]
    assert h1s == ["在全区河湖治理工作会议上的讲话", "在全区河长制推进会上的讲话"]
    assert "开通会员 立即开通" in {r.text for r in extracted.removed}


def test_no_invented_spaces_between_cjk_but_latin_spacing_kept() -> None:
    body = "<p>全面\n  推进<b>河湖</b>治理，落实 Excel 台账。</p>"
    page = f"<html><body><div>{body}<p>{PARA_1}</p></div></body></html>"
    texts = [line.text for line in extract_lines(page).lines]
    assert texts[0] == "全面推进河湖治理，落实 Excel 台账。"


def test_title_two_levels_above_the_text_is_taken_in() -> None:
    page = (
        '<html><body><div id="wrap"><h1 class="t">在全区河长制推进会上的讲话</h1>'
        f'<div id="js_body"><section><p>同志们：</p><p>{PARA_1}</p><p>{PARA_2}</p></section></div></div>'
        '<div class="qr">扫码关注公众号</div></body></html>'
    )
    extracted = extract_lines(page)
    assert [(line.text, line.tag) for line in extracted.lines[:2]] == [
        ("在全区河长制推进会上的讲话", "h1"), ("同志们：", "p"),
    ]
    assert [r.text for r in extracted.removed] == ["扫码关注公众号"]


@given(
    st.lists(st.text(alphabet="讲话同志们：，。 \u3000a1", max_size=8), max_size=8),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_plain_text_round_trips(parts: list[str], newline: str) -> None:
    lines = extract_lines(newline.join(parts)).lines
    assert [line.text for line in lines] == (parts[:-1] if parts and parts[-1] == "" else parts)


# -- the page tree is BeautifulSoup's ---------------------------------------------------------

TREE_TAGS = ["div", "p", "span", "a", "b", "br", "h1", "h2", "li", "td", "tr", "table", "pre", "textarea",
             "title", "meta", "body", "html", "head", "rt", "ruby", *sorted(DROPPED_TAGS)]
TREE_TEXT = st.one_of(
    st.sampled_from(["同志们", "讲话", " ", "\n", "  \n ", "\t", "&#13;", "\r\n", "\u3000", "&amp;",
                     "<!-- 注 -->", "<!DOCTYPE html>", "</p>", "</div>", "<br/>", "x",
                     "<b>党</b> \n <i>建</i>", "\t<!-- 注 -->讲话", "<rt>注音</rt>", "&#13;<!---->x",
                     "<noscript><body>", "<template><body>", "<template><title>模板</title></template>"]),
    st.text(max_size=5),
)
TREE_ATTRS = st.sampled_from(["", " class='content main'", " class=''", " id=zw", " {urn:x}class=side",
                              " name=description content='讲话 稿'", " property=og:site_name content=某网"])


@st.composite
def tree_pages(draw: st.DrawFn) -> str:
    """Random, often malformed markup from the tags that matter to extraction."""
    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda tag, attrs, kids, close: f"<{tag}{attrs}>{''.join(kids)}" + (f"</{tag}>" if close else ""),
            st.sampled_from(TREE_TAGS), TREE_ATTRS, st.lists(children, max_size=4), st.booleans(),
        )

    return draw(st.recursive(TREE_TEXT, element, max_leaves=30))


def outline(root, body) -> Iterator[object]:
    """The tree in document order: strings, (name, class, id, is-body) per element, and "end".

    Empty strings carry no text and are left out (BeautifulSoup keeps an empty comment in a
    `<pre>`, where `find_all` does not see it to remove it).
    """
    stack = [iter([root])]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            yield "end"
        elif isinstance(child, str):
            if child:
                yield str(child)
        else:
            yield child.name, child.get("class"), child.get("id"), child is body
            stack.append(iter(child.children))


def soup_outline(html: str) -> tuple[object, ...]:
    """Title, <meta> contents, outline and headings of BeautifulSoup's tree without the chrome."""
    soup = BeautifulSoup(html, "lxml")
    title = soup.title.get_text() if soup.title else None
    metas = [tag.get("content") for tag in soup.find_all("meta")]
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    headings = [list(outline(h, soup.body)) for h in soup.find_all(HEADING_TAGS)]
    return title, metas, list(outline(soup, soup.body)), headings


@settings(max_examples=200)
@given(tree_pages())
def test_page_tree_is_the_one_beautifulsoup_builds(html: str) -> None:
    page = parse_html(html)
    metas = [tag.get("content") for tag in page.metas]
    headings = [list(outline(h, page.body)) for h in page.headings]
    assert (page.title, metas, list(outline(page.root, page.body)), headings) == soup_outline(html)


def test_a_page_parses_alike_whatever_was_parsed_before_and_in_any_thread() -> None:
    first = "<title>讲话</title><div class='content'><p>同志们：</p><p>今天开会。</p>"
    other = "<html><body><table><tr><td>未闭合<b>标签"

    def tree(html: str) -> list[object]:
        page = parse_html(html)
        return [page.title, *outline(page.root, page.body)]

    alone = tree(first)
    tree(other)
    assert tree(first) == alone
    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(tree, [first, first])) == [alone, alone]

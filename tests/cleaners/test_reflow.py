"""reflow_lines: wrapped text joined into paragraphs, normal text left alone."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.document import Line
from cleaners.reflow import display_width, find_wrap_width, join_pieces, reflow_lines, split_segments

SPEECH = (
    "同志们：",
    "今天召开全县组织工作会议，主要任务是总结去年工作，分析当前形势，部署今年任务。"
    "刚才，几位同志作了很好的交流发言，讲得都很实在，我都赞同。下面，我再讲几点意见。",
    "一、提高政治站位，深刻认识新时代基层组织建设的重大意义和实践要求",
    "基层党组织是党的全部工作和战斗力的基础。我们要把抓基层打基础作为长远之计和固本之举，"
    "切实增强责任感和紧迫感，推动各项任务落地见效。",
    "（一）突出政治功能",
    "要坚持把政治建设摆在首位，引导党员干部坚定理想信念，站稳人民立场，在急难险重任务中当先锋、作表率。",
    "二、压实工作责任",
    "各级党组织书记要履行第一责任人职责，亲自抓、带头干，确保各项部署落到实处。",
)
WIDTH = 20


def wrap(paragraph: str, width: int = WIDTH, indent: str = "") -> list[str]:
    """Cut a paragraph into printed lines of `width` cells, the first one indented."""
    text = indent + paragraph
    return [text[i:i + width] for i in range(0, len(text), width)]


def as_lines(texts: list[str], tag: str = "") -> list[Line]:
    return [Line(text, i, tag) for i, text in enumerate(texts)]


def texts(lines: tuple[Line, ...]) -> list[str]:
    return [line.text for line in lines]


def test_wrapped_with_newlines() -> None:
    printed = [piece for paragraph in SPEECH for piece in wrap(paragraph)]
    assert texts(reflow_lines(as_lines(printed))) == list(SPEECH)


def test_one_line_with_spaces() -> None:
    printed = " ".join(piece for paragraph in SPEECH for piece in wrap(paragraph))
    assert texts(reflow_lines([Line(printed, 7)])) == list(SPEECH)


def test_pieces_of_a_split_line_keep_its_index() -> None:
    printed = " ".join(piece for paragraph in SPEECH for piece in wrap(paragraph))
    assert {line.index for line in reflow_lines([Line("页眉", 6), Line(printed, 7)])} == {6, 7}


def test_joined_block_keeps_first_index() -> None:
    printed = [piece for paragraph in SPEECH for piece in wrap(paragraph)]
    firsts = [0]
    for paragraph in SPEECH[:-1]:
        firsts.append(firsts[-1] + len(wrap(paragraph)))
    assert [line.index for line in reflow_lines(as_lines(printed))] == firsts


def test_blank_lines_separate_paragraphs() -> None:
    printed = [piece for paragraph in SPEECH for piece in [*wrap(paragraph), ""]]
    assert texts(reflow_lines(as_lines(printed))) == list(SPEECH)


def test_indent_starts_a_paragraph() -> None:
    # Paragraphs that end on a full line would run together without the indent.
    paragraphs = ["要" * 17 + "。", "加强学习" * 5 + "，提高本领。", "狠抓落实" * 10, "好。"]
    printed = [piece for paragraph in paragraphs for piece in wrap(paragraph, indent="\u3000\u3000")]
    assert texts(reflow_lines(as_lines(printed))) == paragraphs


def test_crlf_remnants() -> None:
    printed = [piece + "\r" for paragraph in SPEECH for piece in wrap(paragraph)]
    assert texts(reflow_lines(as_lines(printed))) == list(SPEECH)


def test_wrapped_heading_comes_back_whole() -> None:
    printed = " ".join(wrap(SPEECH[1]) + wrap(SPEECH[2]) + wrap(SPEECH[3]))
    assert SPEECH[2] in texts(reflow_lines([Line(printed, 0)]))


def test_full_heading_line_is_not_joined_to_the_paragraph_after_it() -> None:
    heading = "（二）严格管理监督推动从严治党向基层延伸"
    assert len(heading) == WIDTH
    paragraph = "要健全完善日常监督机制，抓早抓小，防微杜渐，让党员干部习惯在受监督和约束的环境中工作生活。"
    printed = wrap(SPEECH[3]) + [heading] + wrap(paragraph)
    assert texts(reflow_lines(as_lines(printed))) == [SPEECH[3], heading, paragraph]


def test_normal_text_only_trimmed() -> None:
    lines = as_lines(["  购物车", "", *["\u3000\u3000" + p for p in SPEECH], "  ", "浏览量：45"])
    expected = ["购物车", *SPEECH, "浏览量：45"]
    assert texts(reflow_lines(lines)) == expected


def test_equal_short_lines_that_end_sentences_stay_apart() -> None:
    items = [f"第{n}条，各级党组织要认真贯彻执行本规定。" for n in "一二三四五六"]
    assert texts(reflow_lines(as_lines(items))) == items


def test_html_blocks_are_never_joined() -> None:
    printed = [piece for paragraph in SPEECH for piece in wrap(paragraph)]
    assert texts(reflow_lines(as_lines(printed, tag="p"))) == printed


def test_latin_words_keep_one_space() -> None:
    joined = join_pieces(["政治功能", "和组织功能", "Hello,", "world", "2026年"])
    assert joined == "政治功能和组织功能Hello, world 2026年"


def test_spaces_between_latin_words_are_not_line_ends() -> None:
    pieces = split_segments("学习 DeepSeek model 的用法", Line("", 0))
    assert [p.text for p in pieces if p] == ["学习", "DeepSeek model", "的用法"]


def test_wrap_width_is_found_from_piece_widths() -> None:
    printed = " ".join(piece for paragraph in SPEECH for piece in wrap(paragraph))
    wrap_width = find_wrap_width(split_segments(printed, Line("", 0)))
    assert wrap_width is not None and wrap_width.width == WIDTH
    assert display_width("ABCD组织") == 4.0


def test_a_huge_line_is_linear() -> None:
    printed = " ".join(piece for paragraph in SPEECH for piece in wrap(paragraph))
    huge = " ".join([printed] * 2000)
    started = time.perf_counter()
    out = reflow_lines([Line(huge, 0), Line(huge.replace(" ", ""), 1)])
    assert time.perf_counter() - started < 10
    assert len(out) == 2000 * len(SPEECH) + 1


def _visible(lines) -> str:
    return re.sub(r"\s", "", "".join(line.text for line in lines))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="组织建设党课，。：一、（）Ab1 \u3000\r\n", max_size=60), max_size=12))
def test_no_text_is_lost(raw: list[str]) -> None:
    out = reflow_lines(as_lines(raw))
    assert _visible(out) == _visible(as_lines(raw))
    assert all(line.text and line.text == line.text.strip() for line in out)

"""RTF reading: GB bytes under \\ansicpg936 and per-font charsets, \\uN escapes, furniture."""

from __future__ import annotations

import speech_files
from speech_files import rtf_escape

from cleaners.formats import read_document


def read(rtf: str):
    return read_document(rtf.encode("ascii"), "rtf")


def texts(read_back) -> list[str]:
    return [line.text for line in read_back.extracted.lines]


def test_bytes_decode_in_the_code_page_of_their_font():
    rtf = (
        r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fswiss Arial;}{\f1\fnil\fcharset134 SimSun;}"
        r"{\f2\fnil\fcharset136 MingLiU;}}"
        r"\f1 " + rtf_escape("同志们：") + r"\par \f2 " + rtf_escape("臺灣", "big5")
        + r"\par \f0 caf\'e9\par}"
    )
    assert texts(read(rtf)) == ["同志们：", "臺灣", "café"]


def test_ansicpg936_decodes_bytes_outside_any_font():
    assert texts(read(r"{\rtf1\ansi\ansicpg936 " + rtf_escape("讲话稿") + r"\par}")) == ["讲话稿"]


def test_unicode_escapes_skip_their_fallback_and_honour_uc():
    rtf = r"{\rtf1\ansi\ansicpg936\uc1\u21516?\u24535?\uc2\u20204\'c3\'c7\u65306??\par}"
    assert texts(read(rtf)) == ["同志们："]


def test_negative_unicode_escapes_and_control_symbols():
    rtf = r"{\rtf1\ansi \u-28201?\~\{x\}\ldblquote a\rdblquote\par}"
    assert texts(read(rtf)) == ["釗 {x}“a”"]


def test_headers_footers_footnotes_and_annotations_leave_the_body():
    rtf = (
        r"{\rtf1\ansi\ansicpg936{\header " + rtf_escape("内部资料") + r"\par}{\footer \chpgn\par}"
        + rtf_escape("正文一句。")
        + r"{\*\atnid A}{\*\annotation " + rtf_escape("请核实") + r"}"
        + r"{\footnote " + rtf_escape("见文件。") + r"}\par"
        + r"{\field{\*\fldinst PAGE}{\fldrslt 3}}\par}"
    )
    read_back = read(rtf)
    assert texts(read_back) == ["正文一句。", "3"]
    assert {(r.text, r.reason) for r in read_back.extracted.removed} >= {
        ("内部资料", "page_furniture"), ("请核实", "comment"), ("见文件。", "footnote")
    }


def test_a_centred_bold_first_paragraph_is_the_title():
    first = read_document(speech_files.as_rtf(), "rtf").extracted.lines[0]
    assert (first.text, first.tag) == ("".join(speech_files.TITLE), "h1")


def test_a_truncated_rtf_is_corrupt():
    data = speech_files.as_rtf()
    assert read_document(data[: len(data) // 2], "rtf").reason == "corrupt"


def test_double_byte_text_under_a_western_font_reads_in_the_cjk_code_page():
    # as Word writes it: \f0 (Times New Roman) stays current, \dbch\af1 picks SimSun for Chinese
    rtf = (
        r"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\froman\fcharset0 Times New Roman;}"
        r"{\f1\fnil\fcharset134 SimSun;}}"
        r"\f0\loch\af1\hich\af1\dbch\af1 " + rtf_escape("同志们：") + r" 2025\par}"
    )
    assert texts(read(rtf)) == ["同志们： 2025"]

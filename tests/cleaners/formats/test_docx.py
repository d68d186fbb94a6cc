# ruff: noqa: E501 -- XML and Chinese fixtures read better on one line
""".docx reading: styles, numbering, tables, revisions, notes, comments; hostile packages."""

from __future__ import annotations

import io
import tracemalloc

import office_files
import speech_files
from office_files import docx_package, para

from cleaners.formats import read_document, sniff_format
from cleaners.formats.ooxml import MAX_PART_BYTES

NUMBERING = """<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="7">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
</w:numbering>"""


def numbered(text: str, level: int) -> str:
    return para(text, f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr>')


def read(data: bytes):
    return read_document(data, "docx")


def texts(read_back) -> list[str]:
    return [line.text for line in read_back.extracted.lines]


def test_automatic_heading_numbers_are_written_out():
    body = "".join([
        numbered("提高思想认识", 0), numbered("坚持问题导向", 1), numbered("清单", 2), numbered("强化结果运用", 1),
        numbered("压实工作责任", 0), numbered("突出重点", 1),
    ])
    got = texts(read(docx_package(body, {"word/numbering.xml": NUMBERING})))
    assert got == ["一、提高思想认识", "（一）坚持问题导向", "清单", "（二）强化结果运用", "二、压实工作责任", "（一）突出重点"]


def test_deleted_revisions_are_removed_and_inserted_ones_kept():
    body = (
        "<w:p><w:r><w:t>要坚持</w:t></w:r><w:del><w:r><w:delText>形式主义的</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>问题导向和</w:t></w:r></w:ins><w:r><w:t>目标导向。</w:t></w:r></w:p>"
    )
    read_back = read(docx_package(body))
    assert texts(read_back) == ["要坚持问题导向和目标导向。"]
    assert [(r.text, r.reason) for r in read_back.extracted.removed] == [("形式主义的", "deleted_revision")]


def test_footnotes_and_comments_leave_the_body():
    body = (
        "<w:p><w:r><w:t>学习贯彻党的二十大精神</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r>"
        "<w:commentRangeStart w:id=\"0\"/><w:r><w:t>。</w:t></w:r><w:r><w:commentReference w:id=\"0\"/></w:r></w:p>"
    )
    ns = f'xmlns:w="{office_files.W_NS}"'
    parts = {
        "word/footnotes.xml": f'<w:footnotes {ns}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>—</w:t>'
                              f'</w:r></w:p></w:footnote><w:footnote w:id="1">{para("见人民日报2022年10月。")}'
                              "</w:footnote></w:footnotes>",
        "word/comments.xml": f'<w:comments {ns}><w:comment w:id="0">{para("此处请核实")}</w:comment></w:comments>',
    }
    read_back = read(docx_package(body, parts))
    assert texts(read_back) == ["学习贯彻党的二十大精神。"]
    assert [(r.text, r.reason) for r in read_back.extracted.removed] == [
        ("见人民日报2022年10月。", "footnote"), ("此处请核实", "comment")
    ]


def test_tables_give_a_line_per_row_and_one_cell_layouts_their_paragraphs():
    cell = "<w:tc>{}</w:tc>"
    data_row = "<w:tr>" + cell.format(para("整改问题")) + cell.format(para("42项")) + "</w:tr>"
    layout_row = "<w:tr>" + cell.format(para("同志们：") + para("今天召开会议。")) + "</w:tr>"
    read_back = read(docx_package(f"<w:tbl>{data_row}</w:tbl><w:tbl>{layout_row}</w:tbl>"))
    assert texts(read_back) == ["整改问题 42项", "同志们：", "今天召开会议。"]


def test_styles_or_a_bold_centred_first_line_make_the_title():
    for data in (speech_files.as_docx(), speech_files.as_docx(styles=False)):
        first = read(data).extracted.lines[0]
        assert (first.text, first.tag) == ("".join(speech_files.TITLE), "h1")
    tags = {line.text: line.tag for line in read(speech_files.as_docx()).extracted.lines}
    assert tags["一、提高思想认识，把作风建设摆在更加突出的位置"] == "heading1"
    assert tags["（一）坚持问题导向"] == "heading2"


def test_heading_styles_without_numbers_still_make_sections():
    import docx

    from cleaners.pipeline import clean_input
    from cleaners.settings import Settings

    document = docx.Document()
    document.add_paragraph("".join(speech_files.TITLE), style="Title")
    document.add_paragraph(speech_files.BODY[0])
    document.add_paragraph(speech_files.BODY[1])
    document.add_paragraph("坚持人民至上", style="Heading 1")
    document.add_paragraph(speech_files.BODY[3])
    document.add_paragraph("聚焦突出问题", style="Heading 2")
    document.add_paragraph(speech_files.BODY[5])
    document.add_paragraph("要坚持问题导向。要压实责任，推动各项任务落地见效。", style="Heading 1")  # misused: a sentence
    out = io.BytesIO()
    document.save(out)
    record = clean_input(out.getvalue(), "styled.docx", Settings()).records[0]
    assert [(s["heading"], s["level"]) for s in record["sections"]] == [
        (None, 0), ("坚持人民至上", 1), ("聚焦突出问题", 2)
    ]
    assert record["sections"][-1]["paragraphs"][-1] == "要坚持问题导向。要压实责任，推动各项任务落地见效。"


def test_a_line_break_after_a_sentence_starts_a_line_and_a_wrapped_title_is_joined():
    body = (
        "<w:p><w:r><w:t>在全县作风建设推进会</w:t><w:br/><w:t>上的讲话</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>同志们：</w:t><w:br/><w:t>今天召开会议。</w:t></w:r></w:p>"
    )
    assert texts(read(docx_package(body))) == ["在全县作风建设推进会上的讲话", "同志们：", "今天召开会议。"]


def test_a_zip_bomb_is_refused_by_name_without_inflating_it_all():
    bomb = office_files.zip_bomb(inflated=200_000_000)
    tracemalloc.start()
    refusal = read(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert refusal.reason == "hostile" and "zip bomb" in refusal.detail
    assert peak < 2 * MAX_PART_BYTES  # inflating stopped at the cap, not at 200 MB


def test_entity_expansion_is_refused_before_parsing():
    laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    refusal = read(docx_package("<w:p><w:r><w:t>&lol3;</w:t></w:r></w:p>", prolog=laughs))
    assert refusal.reason == "hostile" and "entity" in refusal.detail


def test_truncated_and_broken_packages_are_corrupt():
    data = speech_files.as_docx()
    assert sniff_format(data[: len(data) // 2]) == "docx"
    assert read(data[: len(data) // 2]).reason == "corrupt"
    assert read(docx_package("<w:p><w:r><w:t>未闭合</w:r></w:p>")).reason == "corrupt"


def test_an_encrypted_docx_in_its_ole_wrapper_is_refused_as_encrypted():
    data = office_files.cfb({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64})
    fmt = sniff_format(data, "报告.docx")
    assert read_document(data, fmt).reason == "encrypted"


TOC_STYLES = """<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="10"><w:name w:val="toc 1"/></w:style>
<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/></w:style>
</w:styles>"""
HEADINGS = ["一、深刻认识作风建设的重要意义", "二、准确把握作风建设的目标任务"]


def toc_entry(text: str, page: int, style: str = '<w:pStyle w:val="10"/>') -> str:
    """A table-of-contents line as Word writes it: a link to the heading, a tab, a PAGEREF field."""
    return (
        f'<w:p><w:pPr>{style}</w:pPr><w:hyperlink w:anchor="_Toc{page}"><w:r><w:t>{text}</w:t></w:r><w:r><w:tab/></w:r>'
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGEREF _Toc{page} \\h </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>'
    )


def speech_after(toc: str) -> bytes:
    body = para("在全县作风建设大会上的讲话") + toc + para("同志们：")
    for heading, text in zip(HEADINGS, speech_files.BODY[1::2][: len(HEADINGS)], strict=True):
        body += para(heading, '<w:pStyle w:val="Heading1"/>') + para(text)
    return docx_package(body, {"word/styles.xml": TOC_STYLES})


def test_a_word_table_of_contents_is_removed_as_toc_by_its_styles_or_its_content_control():
    by_style = para("目  录", '<w:pStyle w:val="TOCHeading"/>') + "".join(
        toc_entry(h, n) for n, h in enumerate(HEADINGS, start=2)
    )
    in_control = (  # entries in a plain style: the content control alone says what they are
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        f"<w:sdtContent>{para('目录')}{''.join(toc_entry(h, n, '') for n, h in enumerate(HEADINGS, start=2))}"
        "</w:sdtContent></w:sdt>"
    )
    for toc in (by_style, in_control):
        extracted = read(speech_after(toc)).extracted
        assert [line.text for line in extracted.lines if line.tag.startswith("heading")] == HEADINGS
        assert not any(line.text.startswith(tuple(HEADINGS)) and line.text[-1].isdigit() for line in extracted.lines)
        dropped = [(r.text, r.reason) for r in extracted.removed]
        assert dropped[0][0].replace(" ", "") == "目录" and {reason for _, reason in dropped} == {"toc"}
        assert [text for text, _ in dropped[1:]] == [f"{h} {n}" for n, h in enumerate(HEADINGS, start=2)]

"""PDF reading: paragraphs rebuilt across lines and pages, furniture dropped, bad files refused."""

from __future__ import annotations

import io

import office_files
import speech_files

from cleaners.formats import read_document, sniff_format
from cleaners.formats.pdf_layout import PrintedLine, build_lines


def read(data: bytes):
    return read_document(data, "pdf")


def test_a_paragraph_crossing_a_page_break_is_one_line():
    # 14 printed lines a page: the long third paragraph runs from page 1 onto page 2
    read_back = read(speech_files.as_pdf(chars_per_line=30, lines_per_page=14))
    texts = [line.text for line in read_back.extracted.lines]
    for paragraph in speech_files.BODY:
        assert paragraph in texts
    assert len(texts) == len(speech_files.BODY) + 2  # and the title and the date


def test_a_title_set_over_two_lines_in_a_larger_font_is_one_h1_line():
    first = read(speech_files.as_pdf()).extracted.lines[0]
    assert (first.text, first.tag) == ("".join(speech_files.TITLE), "h1")


def test_page_numbers_and_running_headers_are_page_furniture():
    removed = read(speech_files.as_pdf(lines_per_page=10)).extracted.removed
    assert {r.reason for r in removed} == {"page_furniture"}
    assert [r.text for r in removed if "页" in r.text][:2] == ["第 1 页 共 3 页", "第 2 页 共 3 页"]


def line(text: str, page: int, baseline: float, left: float = 72, right: float = 432, size: float = 12):
    return PrintedLine(text, page, left, right, baseline, baseline + size, size, 595, 842)


def test_dash_page_numbers_and_chinese_numerals_at_the_page_foot_are_furniture():
    sentences = [f"第{n}段要坚持把政治建设摆在首位，引导党员干部坚定理想信念，站稳人民立场，在急难险重任务中当先锋。"  # noqa: E501
                 for n in "一二三"]
    printed = []
    for page, (mark, sentence) in enumerate(zip(("- 1 -", "— 二 —", "3/3"), sentences, strict=True)):
        printed += [line(sentence[:30], page, 700), line(sentence[30:], page, 680, right=200),
                    line(mark, page, 40)]
    extracted = build_lines(printed, 3)
    assert [r.text for r in extracted.removed] == ["- 1 -", "— 二 —", "3/3"]
    assert [ln.text for ln in extracted.lines] == sentences


def test_a_watermark_repeated_on_every_page_in_its_own_size_is_furniture():
    printed = []
    for page in range(4):
        printed += [line(f"正文第{'一二三四'[page]}页第{'一二三四五'[n]}行" * 4, page, 700 - 20 * n)
                    for n in range(5)]
        printed += [line("正文最后一行。", page, 600, right=150), line("内部资料", page, 400, size=40)]
    extracted = build_lines(printed, 4)
    assert {r.text for r in extracted.removed} == {"内部资料"}
    assert len(extracted.lines) == 4


def scan_like() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for _ in range(3):
        for y in range(100, 700, 20):
            pdf.rect(72, y, 400, 8, fill=1)  # lines of "print" with no text behind them
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_pdf_without_text_layer_is_refused_with_a_hint_to_ocr():
    refusal = read(scan_like())
    assert refusal.reason == "no_text_layer"
    assert "OCR" in refusal.detail


def test_an_encrypted_pdf_is_refused_as_encrypted():
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    pdf.drawString(72, 700, "confidential")
    pdf.save()
    assert read(out.getvalue()).reason == "encrypted"


def test_a_truncated_pdf_is_refused_as_corrupt():
    data = speech_files.as_pdf()
    assert sniff_format(data[: len(data) // 2]) == "pdf"
    refusal = read(data[: len(data) // 2])
    assert refusal.reason == "corrupt" and "truncated" in refusal.detail


def test_a_looping_page_tree_is_refused_as_hostile():
    refusal = read(office_files.looping_page_tree())
    assert refusal.reason == "hostile" and "page tree" in refusal.detail


def test_a_stream_that_inflates_without_end_is_refused_before_pdfium_reads_it():
    refusal = read(office_files.endless_stream())
    assert refusal.reason == "hostile" and "bomb" in refusal.detail


def test_garbage_after_a_pdf_header_is_corrupt_not_an_error():
    assert read(b"%PDF-1.4\n" + b"\x00garbage" * 100 + b"\n%%EOF\n").reason == "corrupt"


def test_text_whose_fonts_map_to_no_unicode_is_refused_like_a_scan():
    # a CID font with no ToUnicode map: PDFium reads the glyph numbers as characters
    glyphs = b"".join(b"%04X" % (0x1000 + k) for k in range(200))
    content = b"BT /F1 12 Tf 72 700 Td <" + glyphs + b"> Tj ET"
    data = office_files.pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /XYZ /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZ /FontDescriptor 7 0 R"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        b"<< /Type /FontDescriptor /FontName /XYZ /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0"
        b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ])
    refusal = read(data)
    assert refusal.reason == "no_text_layer" and "OCR" in refusal.detail


def test_larger_fonts_are_the_title_then_heading_levels_by_size():
    sentence = "要坚持把政治建设摆在首位，引导党员干部坚定理想信念。"
    printed = [
        line("在全县作风建设推进会上的讲话", 0, 760, left=150, size=20),
        line(sentence, 0, 720, right=300),
        line("坚持人民至上", 0, 690, size=16, right=180),
        line(sentence, 0, 660, right=300),
        line("聚焦突出问题", 0, 630, size=14, right=170),
        line(sentence, 0, 600, right=300),
    ]
    tags = [(ln.text, ln.tag) for ln in build_lines(printed, 1).lines]
    assert tags == [
        ("在全县作风建设推进会上的讲话", "h1"), (sentence, "p"),
        ("坚持人民至上", "heading1"), (sentence, "p"),
        ("聚焦突出问题", "heading2"), (sentence, "p"),
    ]

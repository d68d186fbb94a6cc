"""One short speech in the genre, written out as .txt, .docx (python-docx), .pdf (reportlab's
built-in CID font STSong-Light, no font file) and .rtf (by hand), the way office suites lay
them out: running headers, page-number footers, first-line indents, a title over two lines."""

from __future__ import annotations

import io

TITLE = ("在全县作风建设推进会", "上的讲话")
DATE = "（2025年6月18日）"
BODY = (
    "同志们：",
    "今天召开全县作风建设推进会，主要任务是深入学习贯彻中央八项规定精神，总结前一阶段全县作风建设工作，"
    "分析当前存在的突出问题，安排部署下一阶段重点任务。刚才，几个单位作了交流发言，讲得都很实在。",
    "一、提高思想认识，把作风建设摆在更加突出的位置",
    "作风建设永远在路上，永远没有休止符。从前一阶段督查的情况看，全县各级各部门认识到位、行动迅速，"
    "干部作风有了明显转变，群众的获得感不断增强，但是形式主义、官僚主义问题仍然不同程度存在，"
    "有的同志满足于开会发文，有的同志把督查检查当成负担，这些问题必须引起我们的高度重视。",
    "（一）坚持问题导向",
    "要聚焦群众反映强烈的突出问题，逐项列出清单，明确责任单位和完成时限，做到问题不解决不销号、"
    "群众不满意不放过。各乡镇、各部门主要负责同志要亲自抓、带头干，切实把整改责任扛在肩上。",
    "二、压实工作责任，确保各项任务落地见效",
    "各级党组织要履行主体责任，纪检监察机关要履行监督责任，把作风建设同业务工作同部署、同落实、"
    "同检查、同考核。对工作不力、问题突出的单位，要严肃追责问责，以严明的纪律推动作风持续向好。",
    "同志们，作风建设关系人心向背。让我们以更加坚定的决心、更加务实的举措，推动全县干部作风实现新的转变！",
)
HEADER = "中共某某县委办公室　内部资料"


def as_text() -> bytes:
    return "\n".join(["".join(TITLE), DATE, *BODY]).encode("gb18030")


def as_docx(styles: bool = True, header: bool = True) -> bytes:
    """With styles: Title, Heading 1/2; without: a bold centred first paragraph, plain text."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = HEADER
        document.sections[0].footer.paragraphs[0].text = "第 1 页 共 1 页"
    if styles:
        document.add_paragraph("".join(TITLE), style="Title")
    else:
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run("".join(TITLE)).bold = True
    document.add_paragraph(DATE).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in BODY:
        level = 1 if text.startswith("一、") or text.startswith("二、") else 2 if text.startswith("（") else 0
        document.add_paragraph(text, style=f"Heading {level}" if styles and level else None)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(chars_per_line: int = 30, lines_per_page: int = 14, furniture: bool = True) -> bytes:
    """A4, 12 pt body with a two-character first-line indent, an 18 pt title over two lines,
    a running header and a `第 N 页 共 M 页` footer; small pages, so paragraphs cross page breaks."""
    pages = [[]]
    size, left = 12, 72
    for text in BODY:
        indent, rest = 2, text
        while rest:
            room = chars_per_line - indent
            if len(pages[-1]) >= lines_per_page:
                pages.append([])
            pages[-1].append((left + indent * size, rest[:room]))
            indent, rest = 0, rest[room:]
    return _pdf_pages(pages, size, furniture)


def _pdf_pages(pages, size, furniture) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        if furniture:
            pdf.setFont("STSong-Light", 9)
            pdf.drawCentredString(width / 2, height - 40, HEADER)
            pdf.drawCentredString(width / 2, 40, f"第 {number} 页 共 {len(pages)} 页")
        y = height - 90
        if number == 1:
            pdf.setFont("STSong-Light", 18)
            for part in TITLE:
                pdf.drawCentredString(width / 2, y, part)
                y -= 26
            pdf.setFont("STSong-Light", size)
            y -= 8
            pdf.drawCentredString(width / 2, y, DATE)
            y -= 30
        pdf.setFont("STSong-Light", size)
        for x, text in lines:
            pdf.drawString(x, y, text)
            y -= 20
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def rtf_escape(text: str, codec: str = "gbk") -> str:
    """Chinese as `\\'hh` bytes in the GB code page (what Word and WPS write)."""
    return "".join(
        ch if ord(ch) < 128 else "".join(f"\\'{b:02x}" for b in ch.encode(codec)) for ch in text
    )


def as_rtf(unicode_escapes: bool = False) -> bytes:
    r"""`\ansicpg936` and a GB2312 font (charset 134); with `unicode_escapes`, `\uN?` instead."""
    def enc(text: str) -> str:
        if unicode_escapes:
            return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?"
                           for ch in text)
        return rtf_escape(text)

    paras = [r"\qc\b " + enc("".join(TITLE)) + r"\b0\par", r"\qc " + enc(DATE) + r"\par"]
    paras += [r"\pard\fi420 " + enc(text) + r"\par" for text in BODY]
    return (
        r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 " + rtf_escape("宋体") + r";}}"
        r"{\*\generator Msftedit;}{\header " + enc(HEADER) + r"\par}{\footer " + enc("第 1 页") + r"\par}"
        + "\n".join(paras) + "}"
    ).encode("ascii")

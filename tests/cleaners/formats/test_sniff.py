"""Formats are told by bytes; text and HTML pass straight through; other containers stay binary."""

from __future__ import annotations

import io
import zipfile

import speech_files
from office_files import cfb, word_document

from cleaners.formats import sniff_format
from cleaners.pipeline import clean_input
from cleaners.settings import Settings


def test_documents_are_told_by_their_bytes_whatever_their_name():
    assert sniff_format(speech_files.as_docx(), "a.txt") == "docx"
    assert sniff_format(speech_files.as_pdf(), "a.html") == "pdf"
    assert sniff_format(b"\r\n" + speech_files.as_rtf(), "a") == "rtf"
    assert sniff_format(cfb(word_document("正文\r")), "a.DOC") == "doc"
    assert sniff_format(cfb(word_document("正文\r")), "稿子.WPS") == "wps"
    assert sniff_format(b"junk\n" + speech_files.as_pdf()) == "pdf"


def test_text_and_html_stay_text_even_when_they_mention_signatures():
    mentions = "同志们：%PDF-1.4 与 {\\rtf 都是文件格式。".encode()
    for data in (mentions, b"<html><body><p>PK\x03\x04</p></body></html>"):
        assert sniff_format(data) == "text"


def test_a_zip_or_ole_file_without_a_word_document_is_still_refused_as_binary():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    for data in (out.getvalue(), cfb({"Workbook": b"\x09\x08" * 10})):
        assert sniff_format(data) == "text"
        assert clean_input(data, "book.xls", Settings()).refusal.reason == "binary"


def test_detect_names_the_format_and_a_documents_refusal(tmp_path, capsys):
    import json

    from flows.record_tools.detect import detect_files

    (tmp_path / "a.docx").write_bytes(speech_files.as_docx())
    (tmp_path / "b.pdf").write_bytes(speech_files.as_pdf()[:2000])
    (tmp_path / "c.html").write_bytes("<html><body><p>同志们：</p></body></html>".encode())
    detect_files([str(tmp_path / name) for name in ("a.docx", "b.pdf", "c.html")], as_json=True)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["format"], r["encoding"], r["refused"]) for r in rows] == [
        ("docx", "utf-8", None), ("pdf", None, "corrupt"), ("html", "utf-8", None)
    ]

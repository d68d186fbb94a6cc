"""The key check: one speech cleaned from .txt, .docx, .pdf and .rtf gives one record body."""

from __future__ import annotations

import pytest
import speech_files

from cleaners.pipeline import clean_input
from cleaners.settings import Settings

FORMS = {
    "speech.txt": ("text", speech_files.as_text),
    "speech.docx": ("docx", speech_files.as_docx),
    "plain.docx": ("docx", lambda: speech_files.as_docx(styles=False)),
    "speech.pdf": ("pdf", speech_files.as_pdf),
    "speech.rtf": ("rtf", speech_files.as_rtf),
    "unicode.rtf": ("rtf", lambda: speech_files.as_rtf(unicode_escapes=True)),
}


def clean(name: str, data: bytes) -> dict:
    result = clean_input(data, name, Settings())
    assert result.refusal is None, result.refusal
    assert len(result.records) == 1
    return result.records[0]


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return {name: clean(name, make()) for name, (_, make) in FORMS.items()}


def test_every_format_gives_the_text_files_title_date_and_sections(records):
    expected = records["speech.txt"]
    assert expected["title"] == "在全县作风建设推进会上的讲话"
    assert expected["date"] == "2025-06-18"
    assert [s["heading"] for s in expected["sections"]][1:] == [
        "一、提高思想认识，把作风建设摆在更加突出的位置",
        "（一）坚持问题导向",
        "二、压实工作责任，确保各项任务落地见效",
    ]
    for name, record in records.items():
        assert (record["title"], record["date"], record["truncated"]) == (
            expected["title"], expected["date"], expected["truncated"]
        ), name
        assert record["sections"] == expected["sections"], name
        assert record["body_sha256"] == expected["body_sha256"], name


def test_records_name_the_format(records):
    for name, (fmt, _) in FORMS.items():
        assert records[name]["source"]["format"] == fmt
        assert records[name]["source"]["encoding_method"] == ("document" if fmt != "text" else "detected")


def test_running_headers_and_page_numbers_are_dropped_as_page_furniture(records):
    for name in ("speech.docx", "speech.pdf", "speech.rtf"):
        furniture = [r["text"] for r in records[name]["removed"] if r["reason"] == "page_furniture"]
        assert any("内部资料" in text for text in furniture), name
        assert any(text.startswith("第 1 页") for text in furniture), name
        body = "".join(p for s in records[name]["sections"] for p in s["paragraphs"])
        assert "内部资料" not in body and "页" not in body[-20:]

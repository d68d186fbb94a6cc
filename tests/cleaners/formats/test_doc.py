""".doc/.wps reading through the piece table, in a minimal OLE container made here."""

from __future__ import annotations

import speech_files
from office_files import cfb, word_document

from cleaners.formats import read_document, sniff_format
from cleaners.pipeline import clean_input
from cleaners.settings import Settings

SPEECH = "\r".join(["".join(speech_files.TITLE), speech_files.DATE, *speech_files.BODY]) + "\r"


def test_the_main_text_is_read_and_other_stories_removed():
    data = cfb(word_document("同志们：\r今天\x13 PAGE \x14三\x15开会。\x0b第二行\x07\r",
                             footnotes="\x02见文件。\r", headers="内部资料\r\r"))
    read_back = read_document(data, sniff_format(data))
    assert [line.text for line in read_back.extracted.lines] == ["同志们：", "今天三开会。", "第二行"]
    assert [(r.text, r.reason) for r in read_back.extracted.removed] == [
        ("见文件。", "footnote"), ("内部资料", "page_furniture")
    ]


def test_a_doc_speech_cleans_like_the_text_file_and_a_wps_says_so():
    data = cfb(word_document(SPEECH))
    text = clean_input(speech_files.as_text(), "speech.txt", Settings()).records[0]
    for name, fmt in (("speech.doc", "doc"), ("speech.wps", "wps")):
        record = clean_input(data, name, Settings()).records[0]
        assert record["source"]["format"] == fmt
        assert (record["title"], record["date"], record["sections"]) == (
            text["title"], text["date"], text["sections"]
        )


def test_an_encrypted_doc_is_refused_as_encrypted():
    data = cfb(word_document(SPEECH, flags=0x0200 | 0x0100))
    assert read_document(data, "doc").reason == "encrypted"


def test_a_truncated_or_broken_doc_is_corrupt():
    data = cfb(word_document(SPEECH))
    assert read_document(data[:1000], "doc").reason == "corrupt"
    broken = cfb({"WordDocument": b"\x00" * 4096, "1Table": b""})
    assert read_document(broken, "doc").reason == "corrupt"

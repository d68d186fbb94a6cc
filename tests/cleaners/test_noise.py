"""denoise_document: line cases (noise out, the rest rejoined), must-not-change cases, and the
seed-like fixtures in `cases/noise/` (one short speech dressed in each kind of noise, as text and
as HTML) cleaned to the same body as the clean copy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cleaners.document import Extracted, Line
from cleaners.extract import extract_plain
from cleaners.noise import denoise_document, load_noise_rules
from cleaners.pipeline import clean_input
from cleaners.settings import Settings

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "noise.yaml").read_text(encoding="utf-8"))
FIXTURES = Path(__file__).parent / "cases" / "noise"
KINDS = ("jammer", "symbols", "watermark", "traditional", "pinyin")


def _one_line(text: str) -> Extracted:
    return Extracted(lines=(Line(text=text, index=0),))


@pytest.mark.parametrize("case", CASES["changed"], ids=[c["label"] for c in CASES["changed"]])
def test_noise_goes(case: dict) -> None:
    denoised = denoise_document(_one_line(case["original"]))
    lines = [line.text for line in denoised.extracted.lines]
    assert lines == ([case["expected"]] if case["expected"] is not None else [])
    reasons = [r.reason for r in denoised.extracted.removed]
    assert reasons == case.get("reasons", [])
    assert all(r.stage == "noise" for r in denoised.extracted.removed)
    rewrites: dict[str, int] = {}
    for _, step, count in denoised.rewrites:
        rewrites[step] = rewrites.get(step, 0) + count
    assert rewrites == case.get("rewrites", {})


@pytest.mark.parametrize("case", CASES["unchanged"], ids=[c["label"] for c in CASES["unchanged"]])
def test_text_stays(case: dict) -> None:
    extracted = _one_line(case["text"])
    denoised = denoise_document(extracted)
    assert denoised.extracted == extracted
    assert denoised.rewrites == () and denoised.script == "simplified"


def test_watermark_cut_is_the_removed_text() -> None:
    text = "坚持问题导向，（本文来自某某范文网 www.example.cn，转载请注明出处）抓好落实。"
    removed = denoise_document(_one_line(text)).extracted.removed
    assert [r.text for r in removed] == ["（本文来自某某范文网 www.example.cn，转载请注明出处）"]


def test_a_brand_that_recurs_in_a_document_goes_without_a_rule() -> None:
    brand = "（笔杆子文库 bgz.example.com）"
    lines = [f"第{n}段讲话正文，要抓好落实{brand}，确保各项工作见到实效。" for n in range(3)]
    denoised = denoise_document(extract_plain("\n".join(lines)))
    assert all(brand not in line.text for line in denoised.extracted.lines)
    assert [r.reason for r in denoised.extracted.removed] == ["watermark"] * 3


def test_a_bracket_seen_twice_stays() -> None:
    lines = ["要抓好落实（详见县应急管理局网站），确保见效。", "二要严格考核（详见县应急管理局网站）。"]
    denoised = denoise_document(extract_plain("\n".join(lines)))
    assert [line.text for line in denoised.extracted.lines] == lines


def test_title_gets_the_same_treatment() -> None:
    title = "在全縣工作會議上的講話🔥 k9$ Q) w' ?5e X&"
    extracted = Extracted(lines=(Line("同志們：", 0),), page_title=title)
    denoised = denoise_document(extracted)
    assert denoised.extracted.page_title == "在全县工作会议上的讲话"
    assert denoised.extracted.lines[0].text == "同志们："


def test_keep_script_keeps_traditional_and_says_so() -> None:
    extracted = _one_line("同志們，今天我們召開這次會議")
    denoised = denoise_document(extracted, keep_script=True)
    assert denoised.extracted.lines[0].text == "同志們，今天我們召開這次會議"
    assert (denoised.script, denoised.converted) == ("traditional", False)


def test_settings_rules_are_the_default() -> None:
    assert load_noise_rules(Settings().noise_rules) == load_noise_rules()


def _body(name: str) -> list[str]:
    data = (FIXTURES / name).read_bytes()
    result = clean_input(data, name, Settings())
    assert result.refusal is None, result.refusal
    (record,) = result.records
    body = [[s["heading"]] if s["heading"] else [] for s in record["sections"]]
    for texts, section in zip(body, record["sections"], strict=True):
        texts += section["paragraphs"]
    return [record["title"], *(text for texts in body for text in texts)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_dressed_speech_cleans_to_the_clean_one(kind: str, fmt: str) -> None:
    assert _body(f"{kind}.{fmt}") == _body(f"clean.{fmt}")


def test_record_says_what_was_done() -> None:
    result = clean_input((FIXTURES / "pinyin.txt").read_bytes(), "pinyin.txt", Settings())
    (record,) = result.records
    assert record["source"]["script"] == "traditional" and record["source"]["script_converted"] is True
    assert record["rewrites"]["pinyin_annotations"] > 0
    assert record["rewrites"]["traditional_to_simplified"] > 0
    clean = clean_input((FIXTURES / "clean.txt").read_bytes(), "clean.txt", Settings()).records[0]
    assert clean["source"]["script"] == "simplified" and clean["rewrites"] == {}
    jammer = clean_input((FIXTURES / "jammer.txt").read_bytes(), "jammer.txt", Settings()).records[0]
    assert {r["reason"] for r in jammer["removed"]} == {"jammer"}

"""The flow end to end on the sample inputs shipped in raw/, under Prefect's test harness."""

import hashlib
import shutil
from pathlib import Path

import pytest

from cleaners.records import load_records

SAMPLES = Path(__file__).resolve().parents[2] / "raw"


def _digest_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _records(clean: Path) -> dict[str, dict]:
    out = {}
    for path in clean.rglob("*.yaml"):
        for rec in load_records(path.read_text(encoding="utf-8")):
            if "sections" in rec:
                out[path.relative_to(clean).as_posix()] = rec
    return out


@pytest.fixture(scope="module")
def run(prefect_harness, tmp_path_factory):
    from flows.orchestration.clean_corpus import clean_corpus

    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(SAMPLES, raw, dirs_exist_ok=True)
    clean = tmp_path_factory.mktemp("clean")
    before = _digest_tree(raw)
    report = clean_corpus(raw_dir=str(raw), clean_dir=str(clean), batch_size=2)
    return raw, clean, before, report


def test_every_sample_is_cleaned_or_refused_with_a_reason(run):
    raw, clean, _, report = run
    assert report["inputs"] == 5
    assert list(report["refused"]) == ["scan-photo.txt"]
    assert report["refused"]["scan-photo.txt"]["reason"] == "binary"
    assert report["speeches"] == 5
    assert "scan-photo.txt" in (clean / "_jianggao" / "report.md").read_text(encoding="utf-8")


def test_records_carry_title_date_and_sections(run):
    _, clean, _, _ = run
    recs = _records(clean)
    by_title = {r["title"]: r for r in recs.values()}
    assert set(by_title) == {
        "在全县教育系统作风建设推进会上的党课讲稿",
        "在全市安全生产工作会议上的讲话",
        "党课：守好廉洁底线，争做清廉干部",
        "在机关党支部主题党日活动上的讲话",
        "在社区党委七一座谈会上的讲话",
    }
    assert by_title["在全县教育系统作风建设推进会上的党课讲稿"]["date"] == "2025-06-18"
    assert by_title["在全市安全生产工作会议上的讲话"]["date"] == "2024-03-12"
    assert by_title["在社区党委七一座谈会上的讲话"]["date"] == "2024-07-01"
    assert by_title["在机关党支部主题党日活动上的讲话"]["date"] is None
    pdf = by_title["党课：守好廉洁底线，争做清廉干部"]
    assert [s["heading"] for s in pdf["sections"] if s["level"] == 1] == [
        "一、算好廉洁账，筑牢拒腐防变的思想防线",
        "二、用好监督尺，把权力关进制度的笼子",
        "三、涵养清廉风，营造崇廉尚洁的良好氛围",
    ]
    for rec in recs.values():
        assert rec["schema_version"] == 1
        assert rec["sections"][0]["paragraphs"][0].startswith("同志们")
        assert len(rec["keywords"]) >= 5
        assert rec["source"]["sha256"] and rec["source"]["encoding"]


def test_chrome_is_removed_with_reasons(run):
    _, clean, _, _ = run
    recs = _records(clean)
    body = "".join(p for r in recs.values() for s in r["sections"] for p in s["paragraphs"])
    for chrome in ("红旗文库", "浏览量", "立即下载", "热门文章", "版权所有", "当前位置"):
        assert chrome not in body
    reasons = {x["reason"] for r in recs.values() for x in r["removed"]}
    assert {"site_chrome", "paywall_prompt"} <= reasons


def test_raw_folder_is_untouched_and_no_temp_files_remain(run):
    raw, clean, before, _ = run
    assert _digest_tree(raw) == before
    assert not [p for p in clean.rglob("*.tmp")]


def test_rerun_gives_identical_records(run, tmp_path):
    from flows.orchestration.clean_corpus import clean_corpus

    raw, clean, _, _ = run
    again = tmp_path / "clean"
    clean_corpus(raw_dir=str(raw), clean_dir=str(again), batch_size=3)
    assert _records(again) == _records(clean)

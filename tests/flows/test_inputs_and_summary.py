"""What a run takes as input and how it sums up: the clean folder is never an input wherever it
is, unreadable folders are named, file names in any bytes survive, and the summary adds up."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from flows.run_state.discover import discover
from flows.run_state.report import render_text

SAMPLES = Path(__file__).resolve().parents[2] / "raw"


def test_the_clean_folder_inside_raw_is_never_an_input(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "clean" / "_jianggao").mkdir(parents=True)
    (tmp_path / "clean" / "a.txt.1.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "clean" / "_jianggao" / "manifest.json").write_text("{}", encoding="utf-8")
    assert discover(tmp_path, exclude=tmp_path / "clean").inputs == ["a.txt"]
    assert discover(tmp_path, exclude=tmp_path / "." / "clean").inputs == ["a.txt"]


def test_inputs_are_regular_files_not_links_hidden_files_or_pipes(tmp_path):
    (tmp_path / "会议" / "二").mkdir(parents=True)
    (tmp_path / "会议" / "二" / "讲话.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.html").write_text("x", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(tmp_path / "a.html")
    (tmp_path / "linked").symlink_to(tmp_path / "会议", target_is_directory=True)
    os.mkfifo(tmp_path / "pipe")
    Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + "旧稿".encode("gbk") + b".txt")).write_bytes(b"x")
    found = discover(tmp_path)
    assert found.inputs == ["a.html", "会议/二/讲话.txt", os.fsdecode("旧稿".encode("gbk") + b".txt")]
    assert found.unreadable == {}


def test_an_unreadable_folder_is_named(tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("x", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # root reads any folder, so the refusal is made here
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover(tmp_path)
    assert found.inputs == ["ok/a.txt"]
    assert found.unreadable == {"locked": "Permission denied"}


EMPTY = {"reason": "empty", "detail": ""}


def _report(**changes) -> dict:
    report = {
        "inputs": 205, "cleaned": 3, "skipped_unchanged": 1, "unfinished": 0, "speeches": 1,
        "speeches_total": 4, "refused": {f"bad{n:03d}.txt": EMPTY for n in range(200)},
        "refused_by_reason": {"empty": 200}, "inputs_gone": [], "records_deleted": [],
        "removals_by_reason": {}, "seconds_total": 0.3, "unreadable_folders": {"locked": "Permission denied"},
    }  # fmt: skip
    report["refused"]["photo.txt"] = {"reason": "binary", "detail": "PNG signature"}
    report["refused_by_reason"]["binary"] = 1
    report.update(changes)
    return report


def test_the_summary_adds_up_names_a_few_refusals_and_counts_them_by_reason():
    lines = render_text(_report(), seconds=25.04).splitlines()
    assert lines[0] == (
        "205 inputs: 3 cleaned, 1 unchanged, 201 refused; 1 speech written (4 in all) in 25.0 s"
    )
    assert lines[1] == "  refused by reason: empty 200, binary 1"
    assert lines[2] == "  refused bad000.txt: empty"  # no detail: the code alone
    assert sum(line.startswith("  refused bad") for line in lines) == 5
    assert "  … and 196 more refused (all named in the report)" in lines
    assert "  folder not read: locked (Permission denied); its files were not cleaned" in lines


def test_a_stopped_run_counts_what_it_did_not_finish():
    line = render_text(_report(inputs=2, cleaned=1, unfinished=1, refused={}, speeches=3), 1).splitlines()[0]
    assert line.startswith("2 inputs: 1 cleaned, 1 unchanged, 0 refused, 1 not finished; 3 speeches")


@pytest.fixture(scope="module")
def inside(prefect_harness, tmp_path_factory):
    """Runs of `jianggao run raw raw/clean`, twice, on the samples plus a GBK-named copy."""
    from flows.orchestration.clean_corpus import clean_corpus

    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(SAMPLES, raw, dirs_exist_ok=True)
    gbk = os.fsencode(raw) + b"/" + "党课讲稿".encode("gbk") + b".txt"
    Path(os.fsdecode(gbk)).write_bytes((raw / "dangke-jiaoyu.txt").read_bytes() + "再次强调。\n".encode())
    clean = raw / "clean"
    first = clean_corpus(raw_dir=str(raw), clean_dir=str(clean), batch_size=2)
    second = clean_corpus(raw_dir=str(raw), clean_dir=str(clean), batch_size=2)
    return raw, clean, first, second


def test_a_clean_folder_inside_raw_is_not_read_back(inside):
    _, _, first, second = inside
    assert first["inputs"] == second["inputs"] == 6
    assert second["skipped_unchanged"] == 5 and second["cleaned"] == 0 and len(second["refused"]) == 1
    assert not [p for p in second["refused"] if p.startswith("clean/")]


def test_a_gbk_name_goes_through_report_and_rerun(inside):
    _, clean, first, _ = inside
    escaped = "\\xb5\\xb3\\xbfν\\xb2\\xb8\\xe5.txt"  # ce bd happens to be UTF-8 for ν
    assert (clean / f"{escaped}.1.yaml").is_file()
    report_md = (clean / "_jianggao" / "report.md").read_text(encoding="utf-8")
    assert first["cleaned"] == 5 and "scan-photo.txt" in report_md

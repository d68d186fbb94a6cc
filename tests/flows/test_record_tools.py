"""validate, export and review on a clean folder people have edited by hand and left notes in:
each file on its own, named with its problem, the rest carried on; exit status at the end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaners.records import dump_record
from flows.record_tools.record_files import read_folder

ROOT = Path(__file__).resolve().parents[2]


def _record(path: str, **changes) -> dict:
    record = {
        "schema_version": 1,
        "id": "0123456789abcdef",
        "title": "在全县农业工作会议上的讲话",
        "date": "2025-03-02",
        "truncated": False,
        "keywords": ["农业"],
        "source": {"path": path, "sha256": "a" * 64, "encoding": "utf-8", "encoding_confidence": 1.0},
        "sections": [{"heading": None, "level": 0, "paragraphs": ["同志们：", "今天召开会议。"]}],
        "removed": [],
    }
    record.update(changes)
    return record


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """Two good records, an unquoted date, a date no calendar has, a stray YAML without
    `source`, notes that are no record, broken YAML and a GBK-encoded .yaml."""
    (tmp_path / "a.txt.1.yaml").write_text(dump_record(_record("a.txt")), encoding="utf-8")
    unquoted = dump_record(_record("b.txt")).replace("date: '2025-03-02'", "date: 2025-03-02")
    assert "date: 2025-03-02\n" in unquoted
    (tmp_path / "b.txt.1.yaml").write_text(unquoted, encoding="utf-8")
    (tmp_path / "c.txt.1.yaml").write_text(dump_record(_record("c.txt", date="2024-13-45")), encoding="utf-8")
    stray = _record("d.txt")
    del stray["source"]
    (tmp_path / "d.yaml").write_text(dump_record(stray), encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("待办: 核对标题\n负责人: 张三\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (tmp_path / "gbk.yaml").write_bytes("标题: 讲话\n".encode("gbk"))
    return tmp_path


def jianggao(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_each_file_is_read_on_its_own(clean):
    found = {f.name: f for f in read_folder(clean)}
    assert [len(found[n].records) for n in ("a.txt.1.yaml", "b.txt.1.yaml")] == [1, 1]
    assert found["b.txt.1.yaml"].records[0]["date"] == "2025-03-02"  # unquoted: still the text
    assert found["c.txt.1.yaml"].problems == ["c.txt.1.yaml: date: '2024-13-45' is not a calendar date"]
    assert found["d.yaml"].problems == ["d.yaml: (record): 'source' is a required property"]
    assert found["notes.yaml"].not_a_record and not found["notes.yaml"].problems
    assert found["broken.yaml"].problems[0].startswith("broken.yaml: unreadable YAML: line 2")
    assert found["gbk.yaml"].problems == ["gbk.yaml: not UTF-8 text (byte 0xb1 at 0)"]


def test_validate_names_every_bad_file_and_exits_1(clean):
    done = jianggao("validate", str(clean))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    for name in ("broken.yaml", "gbk.yaml", "c.txt.1.yaml", "d.yaml"):
        assert name in done.stdout
    assert "notes.yaml: not a record, skipped" in done.stdout
    assert done.stdout.splitlines()[-1] == "4 problems in 4 files; 2 records valid"


def test_validate_passes_when_only_notes_sit_beside_good_records(tmp_path):
    (tmp_path / "a.txt.1.yaml").write_text(dump_record(_record("a.txt")), encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("todo: titles\n", encoding="utf-8")
    done = jianggao("validate", str(tmp_path))
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "all 1 record valid, 1 other YAML file skipped"


def test_export_writes_the_good_records_and_exits_1(clean):
    done = jianggao("export", str(clean))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["source"] for r in rows] == ["a.txt", "b.txt"]
    assert rows[1]["date"] == "2025-03-02"
    assert "jianggao export: d.yaml: (record): 'source' is a required property" in done.stderr
    assert "jianggao export: 4 files left out (named above)" in done.stderr


def test_review_shows_the_good_records_and_names_the_rest(clean):
    done = jianggao("review", str(clean))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "jianggao review: d.yaml: source/path: missing" in done.stderr
    page = (clean / "review.html").read_text(encoding="utf-8")
    assert "a.txt" in page and "b.txt" in page and "c.txt" in page  # review does not check dates


def test_export_into_a_pipe_closed_early_ends_quietly(tmp_path):
    for n in range(400):
        (tmp_path / f"{n:03d}.txt.1.yaml").write_text(dump_record(_record(f"{n:03d}.txt")), encoding="utf-8")
    done = subprocess.run(
        f"{sys.executable} -m flows.cli export {tmp_path} --unit paragraph | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.stdout.count("\n") == 1
    assert done.stderr == ""


def test_detect_exits_1_on_a_missing_file(tmp_path):
    (tmp_path / "ok.txt").write_text("同志们：今天召开会议。", encoding="utf-8")
    done = jianggao("detect", str(tmp_path / "ok.txt"), str(tmp_path / "missing.txt"))
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 2
    assert f"cannot read {tmp_path / 'missing.txt'}" in done.stderr
    assert jianggao("detect", str(tmp_path / "ok.txt")).returncode == 0

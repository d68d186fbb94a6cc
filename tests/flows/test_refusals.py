"""Refusals stay structured from the batch to the manifest, the report and the review page, and a
clean folder written when a refusal was one "reason: detail" string still reads."""

import json

import pytest

from cleaners.document import Refusal
from cleaners.records import dump_record
from cleaners.settings import Settings
from flows.record_tools.review import build_page, read_refused
from flows.run_state.batch import clean_batch
from flows.run_state.discover import discover
from flows.run_state.manifest import MANIFEST_VERSION, Manifest
from flows.run_state.plan import plan_run, update_manifest
from flows.run_state.report import render_markdown, render_text, report_data, write_report

SENTENCE = "同志们，我们要坚持以人民为中心的发展思想，把群众的急难愁盼作为工作的出发点和落脚点。"
SPEECH = "\n".join(["在全县作风建设推进会上的讲话", "同志们：", *[SENTENCE * 3] * 6, "谢谢大家！"]) + "\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def run(tmp_path):
    """One run of the batch code (no Prefect) on a speech, an empty file and an image, written out
    as a run writes its manifest and report."""
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "speech.txt").write_text(SPEECH, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "photo.txt").write_bytes(PNG)
    inputs = discover(raw).inputs
    manifest = Manifest("fp")
    plan = plan_run(raw, clean, inputs, manifest, "fp", force=False)
    summary = clean_batch(raw, clean, plan.todo, Settings())
    deleted = update_manifest(clean, manifest, summary, plan.gone, prune=False)
    manifest.save(clean)
    report = report_data(summary, manifest, plan, deleted, 1.0)
    write_report(clean, report)
    return raw, clean, summary, report


def test_the_batch_keeps_the_stage_refusal_as_it_is(run):
    _, _, summary, _ = run
    assert summary.outcomes["speech.txt"].refused is None
    assert summary.outcomes["empty.txt"].refused.reason == "empty"
    assert summary.outcomes["photo.txt"].refused.reason == "binary"
    assert "PNG" in summary.outcomes["photo.txt"].refused.detail


def test_the_manifest_holds_reason_and_detail_and_reads_them_back(run):
    _, clean, summary, _ = run
    data = json.loads((clean / "_jianggao" / "manifest.json").read_text(encoding="utf-8"))
    assert data["version"] == MANIFEST_VERSION == 2
    photo = data["inputs"]["photo.txt"]["refused"]
    assert photo == {"reason": "binary", "detail": summary.outcomes["photo.txt"].refused.detail}
    assert data["inputs"]["speech.txt"]["refused"] is None
    loaded = Manifest.load(clean)
    assert loaded.entries["photo.txt"].refused == summary.outcomes["photo.txt"].refused
    assert loaded.entries["speech.txt"] == summary.outcomes["speech.txt"]


def test_the_report_names_each_refusal_with_reason_and_detail_and_counts_them(run):
    _, clean, summary, report = run
    detail = summary.outcomes["photo.txt"].refused.detail
    assert report["refused"]["photo.txt"] == {"reason": "binary", "detail": detail}
    assert report["refused"]["empty.txt"]["reason"] == "empty"
    assert report["refused_by_reason"] == {"empty": 1, "binary": 1}
    assert report["report_version"] == 2
    assert f"  refused photo.txt: binary: {detail}" in render_text(report).splitlines()
    assert f"| `photo.txt` | `binary` | {detail} |" in render_markdown(report)
    written = (clean / "_jianggao" / "report.yaml").read_text(encoding="utf-8")
    assert f"  photo.txt:\n    reason: binary\n    detail: {detail}\n" in written


def test_the_review_page_reads_the_refusals_the_report_wrote(run):
    _, clean, summary, _ = run
    refused = read_refused(clean)
    assert refused == {p: summary.outcomes[p].refused for p in ("empty.txt", "photo.txt")}
    assert '<span class="tag" style="--hue:' in build_page([], refused, "review")


def test_a_manifest_of_the_previous_version_loads_its_refusals_as_reason_and_detail(tmp_path):
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (clean / "_jianggao").mkdir(parents=True)
    (raw / "photo.txt").write_bytes(PNG)
    (raw / "a.txt").write_text(SPEECH, encoding="utf-8")
    (clean / "a.txt.1.yaml").write_text("schema_version: 1\n", encoding="utf-8")
    photo, a = (raw / "photo.txt").stat(), (raw / "a.txt").stat()
    # As version 1 wrote it: a refusal was one string, and a stage bug's detail held colons too.
    old = (
        '{"version": 1, "pipeline": "fp", "site_rules": {"": ""}, "inputs": {\n'
        f'"a.txt": {{"mtime_ns": {a.st_mtime_ns}, "records": [{{"date": null, "file": "a.txt.1.yaml", '
        '"id": "702df3f4ffe4413e", "title": "在全县作风建设推进会上的讲话"}], "refused": null, '
        f'"sha256": "{"ab" * 32}", "site": "", "size": {a.st_size}}},\n'
        '"bug.txt": {"mtime_ns": 1, "records": [], "refused": "error: KeyError: \'x\' (a jianggao bug; '
        'please report it with this input)", "sha256": "", "site": "", "size": 1},\n'
        '"empty.txt": {"mtime_ns": 1, "records": [], "refused": "empty: ", "sha256": "", "site": "", '
        '"size": 0},\n'
        f'"photo.txt": {{"mtime_ns": {photo.st_mtime_ns}, "records": [], "refused": "binary: PNG signature", '
        f'"sha256": "{"cd" * 32}", "site": "", "size": {photo.st_size}}}\n'
        "}}\n"
    )
    (clean / "_jianggao" / "manifest.json").write_text(old, encoding="utf-8")

    manifest = Manifest.load(clean)

    assert manifest.pipeline == "fp" and manifest.site_rules == {"": ""}
    assert manifest.entries["photo.txt"].refused == Refusal("binary", "PNG signature")
    assert manifest.entries["empty.txt"].refused == Refusal("empty", "")
    assert manifest.entries["bug.txt"].refused == Refusal(
        "error", "KeyError: 'x' (a jianggao bug; please report it with this input)"
    )
    assert manifest.entries["a.txt"].refused is None
    assert manifest.entries["a.txt"].records[0]["file"] == "a.txt.1.yaml"
    plan = plan_run(raw, clean, ["a.txt", "photo.txt"], manifest, "fp", force=False)
    assert plan.fresh == ["a.txt", "photo.txt"]  # nothing to clean again for the new manifest alone
    manifest.save(clean)
    again = json.loads((clean / "_jianggao" / "manifest.json").read_text(encoding="utf-8"))
    assert again["version"] == 2
    assert again["inputs"]["photo.txt"]["refused"] == {"reason": "binary", "detail": "PNG signature"}


def test_a_manifest_of_an_unknown_version_is_not_read(tmp_path):
    (tmp_path / "_jianggao").mkdir()
    text = '{"version": 99, "pipeline": "fp", "site_rules": {}, "inputs": {}}\n'
    (tmp_path / "_jianggao" / "manifest.json").write_text(text, encoding="utf-8")
    assert Manifest.load(tmp_path) == Manifest()


def test_a_report_of_the_previous_version_still_fills_the_review_page(tmp_path):
    (tmp_path / "_jianggao").mkdir()
    old = {"inputs": 3, "refused": {"photo.txt": "binary: PNG signature", "empty.txt": "empty: "}}
    (tmp_path / "_jianggao" / "report.yaml").write_text(dump_record(old), encoding="utf-8")
    assert read_refused(tmp_path) == {
        "photo.txt": Refusal("binary", "PNG signature"),
        "empty.txt": Refusal("empty", ""),
    }

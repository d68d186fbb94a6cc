"""Incremental reruns: what counts as unchanged, and how the manifest follows the raw folder."""

import os

from cleaners.settings import Settings
from flows.run_state.batch import BatchSummary, Outcome
from flows.run_state.manifest import Manifest, is_fresh, pipeline_fingerprint
from flows.run_state.plan import plan_run, restale_changed_sites, update_manifest


def _entry(path, clean, files):
    stat = path.stat()
    for f in files:
        (clean / f).parent.mkdir(parents=True, exist_ok=True)
        (clean / f).write_text("title: x\n", encoding="utf-8")
    return Outcome("ab" * 32, stat.st_size, stat.st_mtime_ns, "site", [{"file": f} for f in files])


def _setup(tmp_path):
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir(parents=True)
    clean.mkdir(parents=True)
    (raw / "a.txt").write_text("同志们：", encoding="utf-8")
    (raw / "b.txt").write_text("同志们：下面讲三点。", encoding="utf-8")
    manifest = Manifest(
        "fp",
        {},
        {
            "a.txt": _entry(raw / "a.txt", clean, ["a.txt.1.yaml"]),
            "b.txt": _entry(raw / "b.txt", clean, ["b.txt.1.yaml", "b.txt.2.yaml"]),
            "gone.txt": Outcome("cd" * 32, 1, 1, "site", [{"file": "gone.txt.1.yaml"}]),
        },
    )
    (clean / "gone.txt.1.yaml").write_text("title: x\n", encoding="utf-8")
    return raw, clean, manifest


def test_unchanged_inputs_with_their_records_are_fresh(tmp_path):
    raw, clean, manifest = _setup(tmp_path)
    plan = plan_run(raw, clean, ["a.txt", "b.txt"], manifest, "fp", force=False)
    assert plan.fresh == ["a.txt", "b.txt"] and plan.todo == [] and plan.gone == ["gone.txt"]


def test_a_changed_file_a_deleted_record_force_or_new_pipeline_make_inputs_stale(tmp_path):
    raw, clean, manifest = _setup(tmp_path)
    (raw / "a.txt").write_text("同志们：今天开会。", encoding="utf-8")
    (clean / "b.txt.2.yaml").unlink()
    assert plan_run(raw, clean, ["a.txt", "b.txt"], manifest, "fp", False).todo == ["a.txt", "b.txt"]
    raw, clean, manifest = _setup(tmp_path / "again")
    assert plan_run(raw, clean, ["a.txt", "b.txt"], manifest, "fp", True).todo == ["a.txt", "b.txt"]
    assert plan_run(raw, clean, ["a.txt", "b.txt"], manifest, "new", False).todo == ["a.txt", "b.txt"]


def test_touching_a_file_without_changing_it_still_counts_as_changed(tmp_path):
    raw, clean, manifest = _setup(tmp_path)
    os.utime(raw / "a.txt", ns=(1, 1))
    assert not is_fresh(manifest.entries["a.txt"], raw / "a.txt", clean)


def test_new_learned_boilerplate_for_a_site_makes_its_inputs_stale(tmp_path):
    raw, clean, manifest = _setup(tmp_path)
    manifest.site_rules = {"site": "old"}
    plan = plan_run(raw, clean, ["a.txt", "b.txt"], manifest, "fp", False)
    restale_changed_sites(plan, manifest, {"site": "new"})
    assert plan.todo == ["a.txt", "b.txt"] and plan.fresh == []


def test_records_an_input_no_longer_produces_are_deleted(tmp_path):
    raw, clean, manifest = _setup(tmp_path)
    summary = BatchSummary({"b.txt": Outcome("ef" * 32, 1, 1, "site", [{"file": "b.txt.1.yaml"}])})
    deleted = update_manifest(clean, manifest, summary, ["gone.txt"], prune=False)
    assert deleted == ["b.txt.2.yaml"]
    assert not (clean / "b.txt.2.yaml").exists() and (clean / "b.txt.1.yaml").exists()
    assert (clean / "gone.txt.1.yaml").exists() and "gone.txt" in manifest.entries


def test_prune_deletes_records_of_vanished_inputs_but_never_outside_the_clean_folder(tmp_path):
    raw, clean, manifest = _setup(tmp_path)
    outside = tmp_path / "precious.yaml"
    outside.write_text("keep", encoding="utf-8")
    manifest.entries["evil.txt"] = Outcome("00" * 32, 1, 1, "", [{"file": "../precious.yaml"}])
    deleted = update_manifest(clean, manifest, BatchSummary(), ["gone.txt", "evil.txt"], prune=True)
    assert deleted == ["gone.txt.1.yaml"]
    assert outside.read_text(encoding="utf-8") == "keep"
    assert "gone.txt" not in manifest.entries


def test_manifest_round_trips_and_survives_corruption(tmp_path):
    raw, clean, manifest = _setup(tmp_path)
    manifest.site_rules = {"site": "abc"}
    manifest.save(clean)
    again = Manifest.load(clean)
    assert again == manifest
    (clean / "_jianggao" / "manifest.json").write_text("{not json", encoding="utf-8")
    assert Manifest.load(clean) == Manifest()


def test_fingerprint_follows_rules_and_settings_but_not_batching(tmp_path):
    base = pipeline_fingerprint(Settings())
    assert pipeline_fingerprint(Settings(batch_size=7, batch_timeout=5)) == base
    assert pipeline_fingerprint(Settings(keywords=3)) != base
    rules = tmp_path / "rules.yaml"
    rules.write_text("site_chrome: {phrases: [某某文库]}\n", encoding="utf-8")
    assert pipeline_fingerprint(Settings(boilerplate_rules=rules)) != base


def test_record_paths_never_leave_the_clean_folder():
    import pytest

    from flows.run_state.files import record_file

    assert record_file("a/b.txt", 1) == "a/b.txt.1.yaml"
    for bad in ("../x.txt", "a/../../x.txt", "/etc/passwd"):
        with pytest.raises(ValueError):
            record_file(bad, 1)


def test_stale_temp_files_are_removed_and_run_state_is_skipped_only_at_the_top(tmp_path):
    from cleaners.records import dump_record
    from flows.run_state.files import read_record_files, remove_stale_temp_files

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".x.yaml.1.yaml.abc.tmp").write_text("half", encoding="utf-8")
    assert remove_stale_temp_files(tmp_path) == 1
    assert not list(tmp_path.rglob("*.tmp"))
    record = {"title": "t", "source": {}, "sections": []}
    (tmp_path / "_jianggao").mkdir()
    (tmp_path / "_jianggao" / "report.yaml").write_text(dump_record(record), encoding="utf-8")
    (tmp_path / "site" / "_jianggao").mkdir(parents=True)
    (tmp_path / "site" / "_jianggao" / "x.txt.1.yaml").write_text(dump_record(record), encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p, _ in read_record_files(tmp_path)]
    assert found == ["site/_jianggao/x.txt.1.yaml"]

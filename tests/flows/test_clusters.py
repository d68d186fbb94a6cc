"""Clusters of copies through the whole flow: a first run, an incremental run, a pruned input, a
lost index or manifest, and what export, the report and the review page say about them.

Inputs are the synthetic speeches of tests/cleaners/cases/near_dupes.yaml, posted as different
sites would post them.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

CASES = Path(__file__).resolve().parents[1] / "cleaners" / "cases" / "near_dupes.yaml"
SPEECHES = yaml.safe_load(CASES.read_text(encoding="utf-8"))
PAGE = """<html><head><meta charset="utf-8"><title>{title}_某某文库</title></head><body>
<div class="nav">首页 &gt; 讲话稿 &gt; 正文</div><h1>{title}</h1>
<div class="info">发布时间：2025-06-20 来源：网络 浏览量：1024</div>
<div class="content">{body}</div>
<div class="share">分享到：微信 微博 QQ空间</div><div class="footer">版权所有 某某文库</div>
</body></html>"""


def text_of(name: str, date: str = "（2025年6月18日）") -> str:
    speech = SPEECHES[name]
    return "\n".join([speech["title"], date, *speech["paragraphs"]]) + "\n"


def page_of(name: str, paragraphs: list[str] | None = None, tail: str = "") -> str:
    speech = SPEECHES[name]
    body = "".join(f"<p>{p}</p>" for p in (paragraphs or speech["paragraphs"])) + tail
    return PAGE.format(title=speech["title"], body=body)


def repunctuated(name: str) -> str:
    text = "".join(SPEECHES[name]["paragraphs"]).replace("，", ",").replace("。", ".")
    wrapped = "\n".join(text[i : i + 26] for i in range(0, len(text), 26))
    return SPEECHES[name]["title"] + "\n" + wrapped + "\n"


def compilation(*names: str) -> str:
    """A 合集 page: several speeches one after another, each under its own heading."""
    articles = "".join(
        f'<div class="article"><h1>{SPEECHES[n]["title"]}</h1><div class="info">来源：网络整理</div>'
        f'<div class="content">{"".join(f"<p>{p}</p>" for p in SPEECHES[n]["paragraphs"])}</div></div>'
        for n in names
    )
    return PAGE.format(title="讲话稿精选合集", body=articles)


def build_raw(raw: Path) -> None:
    files = {
        "wenku/zuofeng-a.txt": text_of("zuofeng_a"),
        "portal/zuofeng-a.html": page_of("zuofeng_a"),
        "pdf/zuofeng-a.txt": repunctuated("zuofeng_a"),
        "paywall/zuofeng-a.html": page_of(
            "zuofeng_a", SPEECHES["zuofeng_a"]["paragraphs"][:4], "<p>剩余内容需付费后查看全文</p>"
        ),
        "wenku/zuofeng-b.txt": text_of("zuofeng_b", "（2025年7月2日）"),
        "wenku/anquan.txt": text_of("anquan", "（2025年5月9日）"),
        "heji/jianghua.html": compilation("zuofeng_b", "anquan"),
    }
    for name, text in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(text, encoding="utf-8")


def manifest_records(clean: Path) -> dict[str, dict]:
    data = json.loads((clean / "_jianggao" / "manifest.json").read_text(encoding="utf-8"))
    return {rec["file"]: rec for entry in data["inputs"].values() for rec in entry["records"]}


def clusters(clean: Path) -> dict[str, str]:
    return {file: rec.get("cluster") for file, rec in manifest_records(clean).items()}


def groups(clean: Path) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for file, cluster in clusters(clean).items():
        found.setdefault(cluster, set()).add(file.removesuffix(".yaml"))
    return {frozenset(g) for g in found.values()}


def record_digests(clean: Path) -> dict[str, str]:
    return {
        p.relative_to(clean).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in clean.rglob("*.yaml")
        if "_jianggao" not in p.parts
    }


EXPECTED = {  # record files less .yaml; the compilation's two speeches each join their own
    frozenset(
        {
            "wenku/zuofeng-a.txt.1",
            "portal/zuofeng-a.html.1",
            "pdf/zuofeng-a.txt.1",
            "paywall/zuofeng-a.html.1",
        }
    ),
    frozenset({"wenku/zuofeng-b.txt.1", "heji/jianghua.html.1"}),
    frozenset({"wenku/anquan.txt.1", "heji/jianghua.html.2"}),
}


@pytest.fixture(scope="module")
def first(prefect_harness, tmp_path_factory):
    from flows.orchestration.clean_corpus import clean_corpus

    raw, clean = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("clean")
    build_raw(raw)
    report = clean_corpus(raw_dir=str(raw), clean_dir=str(clean), batch_size=2)
    return raw, clean, report


def test_copies_of_one_speech_share_a_cluster_and_same_subject_speeches_do_not(first):
    _, clean, report = first
    assert groups(clean) == EXPECTED
    assert (report["clusters"], report["copies"], report["clusters_with_copies"]) == (3, 5, 3)


def test_the_canonical_copy_is_complete_and_one_per_cluster(first):
    _, clean, _ = first
    records = manifest_records(clean)
    canonical = {f.split(".")[0] for f, r in records.items() if r["canonical"]}
    assert len(canonical) == 3
    chosen = next(f for f, r in records.items() if r["canonical"] and "zuofeng-a" in f)
    assert yaml.safe_load((clean / chosen).read_text(encoding="utf-8"))["truncated"] is False
    assert "paywall" not in chosen


def test_export_lines_carry_cluster_and_canonical_only_keeps_one_per_cluster(first):
    from flows.record_tools.export import export_folder

    _, clean, _ = first
    out = io.StringIO()
    export_folder(clean, "speech", out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 8 and all(row["cluster"] and isinstance(row["canonical"], bool) for row in rows)
    out = io.StringIO()
    export_folder(clean, "speech", out, canonical_only=True)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 3 and len({row["cluster"] for row in rows}) == 3


def test_review_page_links_a_speech_to_its_other_copies(first, tmp_path):
    from flows.record_tools.review import write_review

    _, clean, _ = first
    page = write_review(clean, tmp_path / "review.html").read_text(encoding="utf-8")
    assert page.count("other copies (3)") == 4
    assert page.count("other copies (1)") == 4  # zuofeng_b and anquan: a copy each in the compilation


def test_a_new_copy_joins_its_cluster_and_records_on_disk_do_not_change(first, tmp_path):
    from flows.orchestration.clean_corpus import clean_corpus

    raw, clean = tmp_path / "raw", tmp_path / "clean"
    shutil.copytree(first[0], raw)
    shutil.copytree(first[1], clean)
    before, ids = record_digests(clean), clusters(clean)
    (raw / "portal" / "anquan.html").write_text(page_of("anquan"), encoding="utf-8")
    report = clean_corpus(raw_dir=str(raw), clean_dir=str(clean))
    assert report["cleaned"] == 1 and report["skipped_unchanged"] == 7
    after = clusters(clean)
    assert {f: after[f] for f in ids} == ids, "earlier records keep their clusters and ids"
    assert after["portal/anquan.html.1.yaml"] == ids["wenku/anquan.txt.1.yaml"]
    assert {f: d for f, d in record_digests(clean).items() if f in before} == before

    (raw / "wenku" / "zuofeng-a.txt").unlink()
    clean_corpus(raw_dir=str(raw), clean_dir=str(clean), prune=True)
    pruned = clusters(clean)
    assert "wenku/zuofeng-a.txt.1.yaml" not in pruned
    assert pruned["portal/zuofeng-a.html.1.yaml"] == ids["portal/zuofeng-a.html.1.yaml"]
    assert len({pruned[f] for f in pruned if "zuofeng-a" in f}) == 1


@pytest.mark.parametrize("lost", ["clusters.npz", "manifest.json"])
def test_a_lost_index_or_manifest_gives_the_same_clusters_on_rerun(first, tmp_path, lost):
    """What a kill between the index's and the manifest's writes (or a deleted file) leaves."""
    from flows.orchestration.clean_corpus import clean_corpus

    raw, clean = first[0], tmp_path / "clean"
    shutil.copytree(first[1], clean)
    (clean / "_jianggao" / lost).unlink()
    clean_corpus(raw_dir=str(raw), clean_dir=str(clean))
    assert clusters(clean) == clusters(first[1])


def test_the_background_linker_links_batches_as_joining_them_in_turn_does():
    from cleaners.cluster_graph import ClusterState, name_clusters
    from cleaners.near_dupes import sketch_text
    from flows.run_state.clusters import BackgroundLinker, join_new_records

    batches = [
        {"a.txt.1.yaml": sketch_text(text_of("zuofeng_a")), "b.txt.1.yaml": sketch_text(text_of("anquan"))},
        {"c.txt.1.yaml": sketch_text(repunctuated("zuofeng_a"))},
        {"d.txt.1.yaml": sketch_text(text_of("zuofeng_b")), "e.txt.1.yaml": sketch_text(text_of("anquan"))},
    ]
    in_turn, linker = ClusterState(), BackgroundLinker(ClusterState())
    for batch in batches:
        join_new_records(in_turn, batch)
        linker.add(batch)
    linked = linker.finish()

    assert linked == in_turn  # the same sketches, links, containers and order
    assert len({m.cluster for m in name_clusters(linked).values()}) == 3


def test_the_background_linker_reports_a_failed_join_when_finished():
    from cleaners.cluster_graph import ClusterState
    from flows.run_state.clusters import BackgroundLinker

    linker = BackgroundLinker(ClusterState())
    linker.add({"a.txt.1.yaml": "not a sketch"})  # type: ignore[dict-item]

    with pytest.raises(AttributeError):
        linker.finish()

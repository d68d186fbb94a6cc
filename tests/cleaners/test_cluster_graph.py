"""Clusters over a growing corpus: incremental runs, removals, stable ids, previews of compilations."""

from __future__ import annotations

import numpy as np
from test_near_dupes import CHROME_END, CHROME_TOP, edit, paragraphs, preview, repunctuate, sketch

from cleaners.band_index import BandIndex, shared_keys
from cleaners.cluster_graph import ClusterState, add_records, name_clusters, remove_records


def corpus() -> dict:
    a, b, c = paragraphs("zuofeng_a"), paragraphs("zuofeng_b"), paragraphs("anquan")
    return {
        "a/original": sketch(a),
        "a/repost": sketch(CHROME_TOP + a + CHROME_END, date="2025-06-18"),
        "a/punct": sketch(repunctuate(a)),
        "a/edited": sketch(edit(a)),
        "a/preview": sketch(preview(a, 0.3), truncated=True),
        "b/original": sketch(b),
        "b/preview": sketch(preview(b, 0.5), truncated=True),
        "c/original": sketch(c),
        "heji/whole": sketch(a + c + b),  # a compilation nobody split
        "heji/preview": sketch(preview(a + c + b, 0.1), truncated=True),  # its preview: a's head
    }


def partition(members) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for name, member in members.items():
        groups.setdefault(member.cluster, set()).add(name)
    return {frozenset(g) for g in groups.values()}


EXPECTED = {
    frozenset({"a/original", "a/repost", "a/punct", "a/edited", "a/preview", "heji/preview"}),
    frozenset({"b/original", "b/preview"}),
    frozenset({"c/original"}),
    frozenset({"heji/whole"}),
}


def test_one_cluster_per_speech_and_the_compilation_stays_apart():
    state = ClusterState()
    add_records(state, corpus())
    members = name_clusters(state)
    assert partition(members) == EXPECTED
    canonical = {n for n, m in members.items() if m.canonical}
    assert canonical == {"a/repost", "b/original", "c/original", "heji/whole"}
    cluster_a = next(g for g in EXPECTED if "a/preview" in g)
    assert set(members["a/preview"].others) == cluster_a - {"a/preview"}


def test_incremental_runs_give_the_clusters_of_one_run_and_keep_ids():
    sketches = corpus()
    whole = ClusterState()
    add_records(whole, sketches)
    ids = {n: m.cluster for n, m in name_clusters(whole).items()}

    state = ClusterState()
    names = sorted(sketches)
    for start in range(0, len(names), 3):  # runs of three new inputs each
        add_records(state, {n: sketches[n] for n in names[start : start + 3]})
        before = {n: state.cluster_of.get(n) for n in names[:start]}
        after = name_clusters(state)
        for name, old in before.items():
            merged_into_older = after[name].cluster != old
            assert not merged_into_older or old not in {m.cluster for m in after.values()}
    members = name_clusters(state)
    assert partition(members) == EXPECTED
    assert all(members[n].cluster == ids[n] for n in names if n.startswith(("b/", "c/")))


def test_a_new_copy_is_compared_with_the_corpus_not_the_corpus_with_itself():
    sketches = corpus()
    state = ClusterState()
    add_records(state, sketches)
    before = name_clusters(state)
    extra = sketch(edit(repunctuate(paragraphs("anquan"))))
    compared = add_records(state, {"c/edited": extra})
    after = name_clusters(state)
    assert compared <= 2
    assert after["c/edited"].cluster == before["c/original"].cluster
    assert {n: m.cluster for n, m in before.items()} == {n: after[n].cluster for n in before}


def test_removing_a_record_keeps_its_cluster_and_id():
    state = ClusterState()
    add_records(state, corpus())
    before = name_clusters(state)
    requeue = remove_records(state, ["a/original"])
    add_records(state, {}, requeue)
    after = name_clusters(state)
    assert "a/original" not in after
    assert after["a/repost"].cluster == before["a/repost"].cluster
    assert partition(after) == {g - {"a/original"} for g in EXPECTED}


def test_removing_the_text_a_preview_belongs_to_leaves_the_preview_alone():
    state = ClusterState()
    add_records(state, corpus())
    cluster_b = name_clusters(state)["b/original"].cluster
    add_records(state, {}, remove_records(state, ["b/original"]))
    after = name_clusters(state)
    assert after["b/preview"].others == ()
    assert after["b/preview"].cluster == cluster_b and after["b/preview"].canonical


def test_joining_order_decides_ids_not_the_batch_a_record_came_in():
    sketches = corpus()
    one, two = ClusterState(), ClusterState()
    add_records(one, sketches)
    add_records(two, {n: s for n, s in sketches.items() if n >= "b"})
    add_records(two, {n: s for n, s in sketches.items() if n < "b"})
    assert partition(name_clusters(one)) == partition(name_clusters(two))
    assert name_clusters(two)["c/original"].cluster == name_clusters(one)["c/original"].cluster


def test_a_record_sketched_anew_is_linked_by_its_new_text():
    sketches = corpus()
    state = ClusterState()
    add_records(state, sketches)
    assert name_clusters(state)["c/original"].others == ()
    add_records(state, {"c/original": sketches["b/original"]})  # its input now holds speech b
    after = name_clusters(state)
    assert after["c/original"].cluster == after["b/original"].cluster


def test_the_band_index_grown_batch_by_batch_is_the_one_built_at_once():
    sketches = corpus()
    names = sorted(sketches)
    grown = BandIndex()
    for end in (3, 4, 8, len(names)):
        grown = grown.extended(names[:end], sketches)
    whole = BandIndex().extended(names, sketches)
    assert grown.names == whole.names == tuple(names)
    assert np.array_equal(grown.entries, whole.entries)
    assert np.all(whole.entries[1:] > whole.entries[:-1])  # sorted, every (key, record) once
    shorter = grown.extended(names[1:], sketches)  # a record left: the index is built again
    assert np.array_equal(shorter.entries, BandIndex().extended(names[1:], sketches).entries)


def test_shared_keys_are_those_another_record_holds():
    sketches = corpus()
    names = sorted(sketches)
    index = BandIndex().extended(names, sketches)
    reps, keys_of = shared_keys(index, sketches, {"a/punct"}, lambda name: name, bands=32)
    assert set(keys_of) == {"a/punct"}
    whole, head = keys_of["a/punct"]
    assert whole == sorted(whole) and head == sorted(head) and whole
    held = {n: {int(k) | (band << 32) for band, k in enumerate(sketches[n].bands)} for n in names}
    for key in whole + head:
        holders = [n for n in names if n != "a/punct" and key in held[n]]
        assert holders and list(reps[key].values()) == holders  # each its own group: all, in order

"""Near-duplicate sketches and links on synthetic speeches (tests/cleaners/cases/near_dupes.yaml):
reposts with chrome, re-punctuated and re-wrapped copies, edited copies, previews, a compilation
and its parts, and two different speeches on one subject."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
import yaml

from cleaners.near_dupes import (
    Sketch,
    canonical_codes,
    choose_canonical,
    compare,
    link_kind,
    shared_prints,
    sketch_record,
    sketch_text,
)

SPEECHES = yaml.safe_load((Path(__file__).parent / "cases" / "near_dupes.yaml").read_text(encoding="utf-8"))
CHROME_TOP = ["来源：县融媒体中心 发布时间：2025-06-18 10:32", "责任编辑：王某某", "字号：大 中 小"]
CHROME_END = ["分享到：微信 微博 QQ空间", "【打印本页】【关闭窗口】", "上一篇：全县召开防汛工作会议"]


def paragraphs(name: str) -> list[str]:
    return list(SPEECHES[name]["paragraphs"])


def record(lines: list[str], truncated: bool = False, date: str | None = None, removed: int = 0) -> dict:
    return {
        "sections": [{"heading": None, "level": 0, "paragraphs": lines}],
        "truncated": truncated,
        "date": date,
        "removed": [{"text": "x", "reason": "site_chrome", "stage": "boilerplate"}] * removed,
    }


def sketch(lines: list[str], **kwargs) -> Sketch:
    result = sketch_record(record(lines, **kwargs))
    assert result is not None
    return result


def repunctuate(lines: list[str]) -> list[str]:
    """Half-width marks, other quotes, and the text wrapped at 23 characters as a PDF would."""
    text = "".join(lines).replace("，", ",").replace("。", ". ").replace("“", '"').replace("”", '"')
    text = text.replace("、", "，").replace("：", ":")
    return [text[i : i + 23] for i in range(0, len(text), 23)]


def edit(lines: list[str]) -> list[str]:
    """Two sentences reworded, one dropped, as a site that re-types a speech does."""
    text = "\n".join(lines)
    text = text.replace("讲得都很实在，大家要相互借鉴", "讲得很好，各单位要认真学习")
    text = text.replace("实行销号管理，整改一项、销号一项", "实行台账管理，逐项整改到位")
    text = text.replace("把问题带回来、把办法想出来。", "")
    return text.split("\n")


def preview(lines: list[str], share: float) -> list[str]:
    text = "\n".join(lines)
    return text[: int(len(text) * share)].split("\n")


def test_canonical_body_ignores_punctuation_width_case_and_spacing():
    one = "".join(map(chr, canonical_codes("第一，ＡＢＣ 要落实！2025年")))
    two = "".join(map(chr, canonical_codes("第一,abc要 落实.　２０２５年")))
    assert one == two == "第一abc要落实2025年"


@pytest.mark.parametrize(
    "variant",
    [
        CHROME_TOP + paragraphs("zuofeng_a") + CHROME_END,
        repunctuate(paragraphs("zuofeng_a")),
        edit(paragraphs("zuofeng_a")),
        edit(repunctuate(paragraphs("zuofeng_a")) + CHROME_END),
    ],
    ids=["repost-with-chrome", "re-punctuated-and-wrapped", "edited-sentences", "all-at-once"],
)
def test_copies_of_one_speech_are_linked(variant):
    kind, match = link_kind(sketch(paragraphs("zuofeng_a")), sketch(variant))
    assert kind == "copy", match


def test_two_speeches_on_one_subject_are_not_linked():
    a, b = sketch(paragraphs("zuofeng_a")), sketch(paragraphs("zuofeng_b"))
    quotation = "习近平总书记指出，作风问题本质上是党性问题"
    assert quotation in "".join(paragraphs("zuofeng_a")) and quotation in "".join(paragraphs("zuofeng_b"))
    kind, match = link_kind(a, b)
    assert kind is None
    assert match.jaccard < 0.1 and match.containment < 0.2


@pytest.mark.parametrize("share", [0.25, 0.5, 0.8])
def test_a_truncated_preview_is_part_of_the_full_copy(share):
    full = sketch(paragraphs("zuofeng_a"))
    part = sketch(preview(paragraphs("zuofeng_a"), share), truncated=True)
    kind, match = link_kind(part, full)
    assert kind in {"preview", "copy"}, match
    assert match.containment > 0.9
    assert (full.bands[32:] == part.bands[32:]).any(), "the head bands make them candidates"


def test_a_complete_text_inside_a_longer_one_is_not_its_copy():
    """A compilation, or a report quoting a speech whole: the part is complete, not a preview."""
    whole = sketch(paragraphs("zuofeng_a") + paragraphs("anquan") + paragraphs("zuofeng_b"))
    for name in ("zuofeng_a", "anquan", "zuofeng_b"):
        kind, match = link_kind(sketch(paragraphs(name)), whole)
        assert kind is None, (name, match)
        assert match.containment > 0.9


def test_re_punctuating_does_not_change_the_sketch():
    one = sketch_text("\n".join(paragraphs("anquan")))
    two = sketch_text("\n".join(repunctuate(paragraphs("anquan"))))
    assert (one.bands == two.bands).all() and (one.fingerprints == two.fingerprints).all()


def test_empty_body_has_no_sketch():
    assert sketch_text("，。！ \n—— ……") is None


def test_a_pickled_sketch_comes_back_equal_and_compares_the_same():
    """Sketches cross from the workers to the run pickled, with their arrays as raw bytes."""
    original = sketch(paragraphs("anquan"), truncated=True, date="2025-03-06", removed=2)
    other = sketch(edit(paragraphs("anquan")))
    back = pickle.loads(pickle.dumps(original, protocol=pickle.HIGHEST_PROTOCOL))
    for name in ("bands", "fingerprints"):
        mine, theirs = getattr(original, name), getattr(back, name)
        assert theirs.dtype == mine.dtype and (theirs == mine).all()
    facts = ("rate", "shingles", "truncated", "dated", "removed", "chars")
    assert [getattr(back, f) for f in facts] == [getattr(original, f) for f in facts]
    assert back.truncated and back.dated and back.removed == 2
    assert compare(back, other) == compare(original, other)


def test_compare_is_symmetric_and_uses_the_sparser_rate():
    long = sketch(paragraphs("zuofeng_a") * 8)
    short = sketch(paragraphs("zuofeng_a")[:2])
    assert long.rate > short.rate
    assert compare(long, short) == compare(short, long)


def test_overlap_counted_in_one_pass_equals_sets_thinned_to_the_sparser_rate():
    full = paragraphs("zuofeng_a")
    other = paragraphs("zuofeng_b")
    texts = [full * 8, full * 3, full, full[:2], edit(full) * 8, repunctuate(full) * 3, other]
    sketches = [sketch(lines) for lines in texts]
    assert len({s.rate for s in sketches}) >= 3

    def at(s: Sketch, rate: int) -> set[int]:
        return {int(p) for p in s.fingerprints if int(p) % max(rate, s.rate) == 0}

    for one in sketches:
        counts = shared_prints(one, sketches)
        for other, count in zip(sketches, counts, strict=True):
            rate = max(one.rate, other.rate)
            mine, theirs = at(one, rate), at(other, rate)
            assert count == len(mine & theirs)
            shorter, longer = (mine, theirs) if one.shingles <= other.shingles else (theirs, mine)
            match = compare(one, other)
            assert match.jaccard == count / len(mine | theirs)
            assert (match.containment, match.samples) == (count / len(shorter), len(shorter))
            assert compare(one, other, count) == match


def test_canonical_member_prefers_complete_then_dated_then_cleaner_then_longer():
    full = paragraphs("zuofeng_a")
    members = {
        "a-preview": sketch(preview(full, 0.9), truncated=True, date="2025-06-18"),
        "b-undated": sketch(full),
        "c-dated-chrome": sketch(full, date="2025-06-18", removed=5),
        "d-dated-clean": sketch(full, date="2025-06-18", removed=1),
        "e-dated-clean-short": sketch(edit(full), date="2025-06-18", removed=1),
    }
    assert choose_canonical(members.items()) == "d-dated-clean"
    del members["d-dated-clean"]
    assert choose_canonical(members.items()) == "e-dated-clean-short"
    del members["e-dated-clean-short"], members["c-dated-chrome"]
    assert choose_canonical(members.items()) == "b-undated"
    twins = {"z": sketch(full), "y": sketch(full)}
    assert choose_canonical(twins.items()) == choose_canonical(reversed(twins.items())) == "y"


def test_sketch_ignores_headings_placement():
    """The same text split into sections differently (a heading found or not) is one body."""
    lines = paragraphs("anquan")
    flat = sketch_record(record(lines))
    nested = {
        "sections": [
            {"heading": None, "level": 0, "paragraphs": lines[:1]},
            {"heading": lines[1], "level": 1, "paragraphs": lines[2:]},
        ],
        "truncated": False,
        "date": None,
        "removed": [],
    }
    assert (sketch_record(nested).bands == flat.bands).all()
    assert re.search("安全生产", "".join(lines))


def test_header_lines_read_into_fields_do_not_count_against_a_copy():
    """A copy that states its speaker and date under the title is no less clean for it."""
    full = paragraphs("zuofeng_a")
    with_header = record(full, date="2025-06-18", removed=1)
    with_header["removed"] += [{"text": "县委书记 张某某", "reason": "header_line", "stage": "structure"}] * 2
    members = {"a-header": sketch_record(with_header), "b-plain": sketch(full, date="2025-06-18", removed=2)}
    assert members["a-header"].removed == 1
    assert choose_canonical(members.items()) == "a-header"


@pytest.mark.parametrize("shingles", [1, 50, 196, 197, 2_000])
def test_signatures_equal_rensa_digests_of_the_whole_body_and_its_head(shingles):
    """The whole body's signature is taken as the minimum of the head's and the rest's: that
    holds only while rensa's digest is a per-permutation minimum, which this checks on the
    installed rensa."""
    import numpy as np
    import rensa

    from cleaners.sketch_hashes import minhash_signatures

    hashes = np.random.default_rng(shingles).integers(0, 2**63, shingles, dtype=np.uint64)
    got = minhash_signatures(hashes, head=196, num_perm=128, seed=17)

    def digest(part: np.ndarray) -> list[int]:
        offsets = np.array([0, len(part)], dtype=np.uint64)
        return rensa.RMinHash.digest_matrix_from_flat_token_hashes(part, offsets, 128, 17).to_rows()[0]

    assert got.tolist() == digest(hashes) + digest(hashes[:196])

"""Tests for learning a site's boilerplate across a made-up corpus of generated pages."""

from __future__ import annotations

import json
import random
from pathlib import Path

from cleaners.boilerplate import load_boilerplate_rules, normalize_for_matching, strip_boilerplate
from cleaners.document import Extracted, Line
from cleaners.site_memory import SiteMemory, observe_document, site_key

FOOTER = "本站文稿均由网友投稿上传"
TAGLINE = "青松文稿网 让写作更轻松"
SUBJECTS = ["安全生产", "乡村振兴", "河湖治理", "营商环境", "教育发展", "基层治理", "文明创建", "招商引资"]
ACTIONS = ["压实责任", "强化调度", "补齐短板", "创新机制", "优化服务", "加强督查", "凝聚合力", "狠抓落实"]
CLAUSES = [
    "要坚持问题导向，聚焦群众急难愁盼，一项一项抓推进、一件一件抓落实。",
    "各部门要主动担当、密切配合，形成上下联动、齐抓共管的工作格局。",
    "要把功夫下在平时，经常性开展检查，发现问题及时整改到位。",
    "要坚持实事求是，把握工作规律，确保各项举措经得起实践和历史检验。",
    "领导干部要带头深入一线，掌握第一手情况，帮助基层解决实际困难。",
    "要健全考核评价机制，用好激励约束手段，激发干事创业的内生动力。",
]


def make_speech(rng: random.Random, n: int) -> list[str]:
    """A made-up speech: title, salutation, headings and paragraphs that differ per document."""
    subject = rng.choice(SUBJECTS)
    lines = [f"在全县{subject}工作会议上的讲话（第{n}期）", "同志们："]
    for k, head in enumerate(rng.sample(ACTIONS, 3)):
        lines.append(f"{'一二三'[k]}、{head}，推动{subject}取得新成效")
        clauses = rng.sample(CLAUSES, 3)
        lines.append(f"第{n}次会议强调，{subject}工作必须{head}。" + "".join(clauses))
    lines.append("谢谢大家！")
    return lines


def make_page(rng: random.Random, n: int) -> list[Line]:
    """A page of the invented site: tagline, counter, speech, footer."""
    texts = [TAGLINE, f"阅读 {rng.randint(10, 999)}", *make_speech(rng, n), FOOTER]
    return [Line(text=t, index=i) for i, t in enumerate(texts)]


def test_site_key_prefers_site_name_then_folder() -> None:
    assert site_key("a/b.html", Extracted(lines=(), meta={"site": "青松文稿网"})) == "site:青松文稿网"
    assert site_key("raw/qingsong/b.txt", Extracted(lines=())) == "dir:raw/qingsong"
    assert site_key("b.txt", Extracted(lines=())) == "dir:."


def test_footer_learned_across_site_and_removed() -> None:
    rng = random.Random(7)
    memory = SiteMemory()
    pages = [make_page(rng, n) for n in range(30)]
    for page in pages:
        memory.observe("site:青松文稿网", page)
    learned = memory.learned("site:青松文稿网")
    assert normalize_for_matching(FOOTER) in learned
    assert normalize_for_matching(TAGLINE) in learned
    speech_keys = {normalize_for_matching(line.text) for page in pages for line in page[2:-1]}
    assert speech_keys.isdisjoint(learned)
    stripped = strip_boilerplate(pages[0], learned=learned)
    reasons = {r.text: r.reason for r in stripped.removed}
    assert reasons[FOOTER] == "repeated_across_site"
    assert reasons[TAGLINE] == "repeated_across_site"
    assert [line.text for line in stripped.lines] == [line.text for line in pages[0][2:-1]]


def test_copies_of_one_speech_teach_nothing() -> None:
    rng = random.Random(3)
    speech = make_speech(rng, 1)
    memory = SiteMemory()
    for copy in range(10):
        chrome = [f"转载自第{copy}个镜像"]
        memory.observe("dir:mirror", [Line(t, i) for i, t in enumerate(chrome + speech)])
    memory.observe("dir:mirror", make_page(rng, 2))
    assert memory.sites["dir:mirror"].docs == 2
    assert memory.learned("dir:mirror") == frozenset()


def test_lines_need_enough_documents_and_share() -> None:
    memory = SiteMemory()
    rng = random.Random(11)
    for n in range(2):
        memory.observe("s", make_page(rng, n))
    assert memory.learned("s") == frozenset()
    assert normalize_for_matching(FOOTER) in memory.learned("s", min_docs=2)
    assert memory.learned("unknown") == frozenset()


def test_long_lines_are_never_counted() -> None:
    memory = SiteMemory(max_line_chars=20)
    long_line = "本站所有文稿仅供学习交流使用，请勿用于商业用途，如有问题请与我们联系"
    rng = random.Random(5)
    for n in range(5):
        memory.observe("s", [*make_page(rng, n), Line(long_line, 99)])
    assert normalize_for_matching(long_line) not in memory.sites["s"].lines


def test_memory_stays_bounded() -> None:
    memory = SiteMemory(max_lines_per_site=50)
    for n in range(200):
        memory.observe("s", [Line(f"独有短句{n}号", 0), Line(f"又一独有短句{n}", 1), Line(FOOTER, 2)])
    assert len(memory.sites["s"].lines) <= 50
    assert normalize_for_matching(FOOTER) in memory.learned("s")


def test_round_trip_through_json() -> None:
    memory = SiteMemory()
    rng = random.Random(1)
    for n in range(5):
        memory.observe("site:青松文稿网", make_page(rng, n))
    restored = SiteMemory.from_dict(json.loads(json.dumps(memory.to_dict(), ensure_ascii=False)))
    assert restored == memory
    assert restored.learned("site:青松文稿网") == memory.learned("site:青松文稿网")
    assert SiteMemory.from_dict({"version": -1}) == SiteMemory()


def test_observing_is_counting_what_a_document_shows() -> None:
    rng = random.Random(13)
    pages = [make_page(rng, n) for n in range(6)]
    observed, counted = SiteMemory(), SiteMemory()
    for page in pages:
        observed.observe("s", page)
        counted.count(observe_document("s", page))
    assert observed == counted
    seen = observe_document("s", pages[0])
    assert seen.site == "s" and list(seen.keys) == sorted(seen.keys)
    assert normalize_for_matching(FOOTER) in seen.keys
    assert normalize_for_matching("同志们：") not in seen.keys  # a salutation is never learned
    assert all(len(key) <= 60 for key in seen.keys)


def test_observe_document_uses_the_rules_it_is_given(tmp_path: Path) -> None:
    custom = tmp_path / "rules.yaml"
    custom.write_text("keep:\n  patterns: ['^本站']\n", encoding="utf-8")
    seen = observe_document("s", make_page(random.Random(2), 1), rules=load_boilerplate_rules(custom))
    assert normalize_for_matching(FOOTER) not in seen.keys


def test_pruning_keeps_the_same_lines_whatever_order_they_came_in() -> None:
    texts = [f"独有短句{c}" for c in "甲乙丙丁戊己"]
    kept = []
    for order in (texts, texts[::-1]):
        memory = SiteMemory(max_lines_per_site=5)
        memory.observe("s", [Line(t, i) for i, t in enumerate(order)])
        kept.append(list(memory.sites["s"].lines))
    assert kept[0] == kept[1] == sorted(normalize_for_matching(t) for t in texts)[:2]


def test_a_column_name_ending_most_of_a_sites_titles_is_learned_and_cut() -> None:
    from cleaners.structure import split_speeches

    rng = random.Random(7)
    memory = SiteMemory()
    pages = []
    for n in range(4):
        texts = make_speech(rng, n)[1:]  # the headline is only in <title>
        lines = [Line(text, k) for k, text in enumerate(texts)]
        title = f"全县召开第{n + 1}次{SUBJECTS[n]}工作推进会_“三农”动态_青松新闻网"
        memory.observe("site:青松新闻网", lines, page_title=title)
        pages.append((lines, title))
    learned = memory.learned("site:青松新闻网")
    lines, title = pages[0]
    (draft,) = split_speeches(lines, page_title=title, learned=learned)
    assert draft.title == "全县召开第1次安全生产工作推进会"
    (unlearned,) = split_speeches(lines, page_title=title)
    assert unlearned.title == "全县召开第1次安全生产工作推进会_“三农”动态"
    assert not any(key in learned for key in (normalize_for_matching(t) for t in (title, "青松新闻网")))

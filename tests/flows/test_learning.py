"""Site learning inside the cleaning pass gives the records a learn-everything-first run gives."""

import random
from pathlib import Path

from cleaners.document import Line
from cleaners.pipeline import clean_input, prepare_input
from cleaners.records import dump_record, load_records
from cleaners.settings import Settings
from cleaners.site_memory import Observation, SiteMemory, observe_document
from flows.run_state.files import record_file
from flows.run_state.learning import SiteLedger, learning_waves

TAGLINE = "青松文稿网 让写作更轻松"
FOOTER = "本站文稿均由网友投稿上传"
TOPICS = ["安全生产", "乡村振兴", "河湖治理", "营商环境", "基层治理", "文明创建"]
DUTIES = ["压实责任", "强化调度", "补齐短板", "创新机制", "优化服务", "狠抓落实"]


def page(rng: random.Random, n: int) -> str:
    """A page of an invented site: tagline, view counter, a short speech, footer."""
    topic = rng.choice(TOPICS)
    lines = [TAGLINE, f"阅读 {rng.randint(10, 999)}", f"在全县{topic}工作会议上的讲话（第{n}期）", "同志们："]
    for k, duty in enumerate(rng.sample(DUTIES, 3)):
        lines.append(f"{'一二三'[k]}、{duty}，推动{topic}取得新成效")
        lines.append(f"第{n}次会议强调，{topic}工作必须{duty}，一项一项抓推进、一件一件抓落实，确保见到实效。")
    return "\n".join([*lines, "谢谢大家！", FOOTER]) + "\n"


def make_site(raw: Path, pages: int) -> list[str]:
    rng = random.Random(11)
    (raw / "qingsong").mkdir(parents=True)
    names = []
    for n in range(pages):
        (raw / "qingsong" / f"{n:02d}.txt").write_text(page(rng, n), encoding="utf-8")
        names.append(f"qingsong/{n:02d}.txt")
    return names


def two_pass_records(raw: Path, names: list[str]) -> dict[str, str]:
    """The reference: observe every input first, then clean each with the complete memory."""
    settings, memory = Settings(), SiteMemory()
    for name in names:
        prepared = prepare_input((raw / name).read_bytes(), name, settings)
        memory.observe(prepared.site, prepared.extracted.lines)
    learned = {site: memory.learned(site) for site in memory.sites}
    out = {}
    for name in names:
        records = clean_input((raw / name).read_bytes(), name, settings, learned).records
        for index, record in enumerate(records, 1):
            out[record_file(name, index)] = dump_record(record)
    return out


def test_waves_are_a_first_batch_then_the_rest():
    assert list(learning_waves(list("abcde"), 2)) == [["a", "b"], ["c", "d", "e"]]
    assert list(learning_waves(list("ab"), 5)) == [["a", "b"]]
    assert list(learning_waves([], 5)) == []


def test_only_inputs_holding_a_line_that_changed_sides_are_cleaned_again():
    memory = SiteMemory()
    ledger = SiteLedger(memory)
    ledger.snapshot()  # nothing learned yet
    footer = [Line(text=FOOTER, index=0)]
    for n, topic in enumerate(TOPICS[:4]):
        body = [Line(text=f"关于{topic}的讲话正文，这一行足够长，不算可学习的短行。" * 3, index=1)]
        ledger.absorb({f"with-footer-{n}.txt": observe_document("site:a", footer + body)})
    ledger.absorb({"plain.txt": observe_document("site:a", [Line(text="只此一篇，别无他行", index=0)])})
    final = ledger.learned(["site:a"])
    assert final["site:a"]  # the footer, seen in four documents
    assert ledger.cleaned_with_other_lines(final) == [f"with-footer-{n}.txt" for n in range(4)]
    assert ledger.cleaned_with_other_lines({"site:a": frozenset()}) == []


def test_documents_are_counted_in_input_order_whatever_order_batches_arrive():
    one, two = SiteLedger(SiteMemory()), SiteLedger(SiteMemory())
    seen = {f"{n}.txt": Observation("site:a", f"doc{n}", (f"行{n % 3}",)) for n in range(9)}
    one.snapshot(), two.snapshot()
    one.absorb(seen)
    two.absorb(dict(reversed(list(seen.items()))))
    assert one.memory.to_dict() == two.memory.to_dict()


def test_flow_records_equal_a_learn_everything_first_run(prefect_harness, tmp_path):
    from flows.orchestration.clean_corpus import clean_corpus

    raw, clean = tmp_path / "raw", tmp_path / "clean"
    names = make_site(raw, 12)
    report = clean_corpus(raw_dir=str(raw), clean_dir=str(clean), batch_size=3)
    written = {
        p.relative_to(clean).as_posix(): p.read_text(encoding="utf-8")
        for p in clean.rglob("*.yaml")
        if "_jianggao" not in p.parts
    }
    assert written == two_pass_records(raw, names)
    assert report["removals_by_reason"]["repeated_across_site"] == 2 * 12  # tagline and footer
    for text in written.values():
        (record,) = load_records(text)
        body = [p for s in record["sections"] for p in s["paragraphs"]]
        assert FOOTER not in body and TAGLINE not in body

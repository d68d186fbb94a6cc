"""describe_speech and the small functions behind it, on synthetic speeches."""

from pathlib import Path

import pytest
import yaml

from cleaners.document import Removal, Section, SpeechDraft
from cleaners.keywords import STOPWORDS, extract_keywords, read_words
from cleaners.metadata import (
    count_redactions,
    describe_speech,
    find_date,
    find_genre,
    find_occasion,
    find_speaker,
    is_truncated,
    parse_date,
)

DATE_CASES = yaml.safe_load(
    Path(__file__).with_name("cases").joinpath("dates.yaml").read_text(encoding="utf-8")
)
BODY = (
    "同志们，全面从严治党永远在路上。我们要坚持把全面从严治党贯穿机构编制工作全过程，树立正确政绩观，"
    "坚决反对形式主义、官僚主义，持续纠治四风问题。机构编制资源是重要的执政资源，必须严格管理、"
    "科学配置，把好机构编制审批关口，确保机构编制工作经得起检验。"
)


def draft(paragraphs=(BODY,), title="在全市机构编制工作会议上的讲话", header=(), removed=()):
    return SpeechDraft(title, (Section(None, 0, tuple(paragraphs)),), 0, 10, tuple(header), tuple(removed))


def meta_line(text, index=0, reason="page_meta"):
    return Removal(index, text, reason, "strip")


@pytest.mark.parametrize("case", DATE_CASES, ids=[c["text"] for c in DATE_CASES])
def test_parse_date(case):
    assert parse_date(case["text"]) == case["date"]


def test_find_date_prefers_the_header_then_publication_line_then_page_meta():
    published = meta_line("发布时间：2026-01-30　来源：网络整理")
    assert find_date(draft(header=["（2025年6月18日）"], removed=[published])) == "2025-06-18"
    assert find_date(draft(removed=[published])) == "2026-01-30"
    assert find_date(draft(), {"date": "2025-06-18T08:00:00+08:00"}) == "2025-06-18"


def test_find_date_ignores_copyright_title_and_body_years():
    speech = draft(
        paragraphs=["2020年是深化改革关键的一年，2019年12月我们完成了机构改革。"],
        title="在2026年全市经济工作会议上的讲话",
        removed=[
            meta_line("Copyright © 2018-2026 公文范文网", 40),
            meta_line("2026年1月30日", 41, "page_footer"),
        ],
    )
    assert find_date(speech) is None


def test_occasion_genre_and_speaker_from_the_title_and_header():
    assert (
        find_occasion("在全市机构编制系统党风廉政建设工作会议上的讲话")
        == "全市机构编制系统党风廉政建设工作会议"
    )
    assert find_occasion("坚定信心 乘势而上", ["——在全县经济工作会议上的讲话"]) == "全县经济工作会议"
    assert find_occasion("党课：坚定理想信念") is None
    assert find_genre("在全县教育大会上的讲话稿") == "讲话稿"
    assert find_genre("在警示教育大会上的党课讲稿") == "党课讲稿"
    assert find_genre("在开学典礼上的致辞") == "致辞"
    assert find_genre("党课：淬炼作风之剑") == "党课"
    assert find_genre("坚定信心 乘势而上") is None
    assert find_speaker(draft(header=["（2025年6月18日）", "市委书记 张三"])) == "市委书记 张三"
    assert find_speaker(draft(title="李四同志在全县经济工作会议上的讲话")) == "李四"
    assert find_speaker(draft(header=["XXX"])) is None
    assert find_speaker(draft()) is None


def test_count_redactions_counts_masks_not_latin_words():
    assert count_redactions("XX市人大常委会原副主任XX在私营企业主××的陪同下") == 3
    assert count_redactions("***总书记指出，某某同志要求") == 2
    assert count_redactions("VIP会员可下载XXL版本，见附件X1") == 0
    assert count_redactions("某单位负责人，同志们") == 0


def test_truncated_only_on_evidence_a_paywall_a_pager_or_prose_cut_mid_sentence():
    assert is_truncated(draft(["这是完整的一段话。"])) is False
    assert is_truncated(draft(["他说：“这是完整的一段话。”"])) is False
    assert is_truncated(draft([BODY, "谢谢大家"])) is False
    assert is_truncated(draft(["这是完整的一段话。"]), paywalled=True) is True
    cut = BODY + "下一步，我们要紧盯关键环节，强化全流程监督和防控，"
    assert is_truncated(draft([BODY, cut])) is True
    stopped = BODY + "要以案为鉴，举一反三，持续完善组织系统内部权力运行监控"
    assert is_truncated(draft([BODY, stopped])) is True
    # A short line left at the end (a byline, an editor, a share button) says nothing either way.
    for leak in ("责任编辑：张三", "新华社记者 张三 摄", "客户端下载", "false", "+1"):
        assert is_truncated(draft([BODY, leak])) is False, leak
    pager = meta_line("第1页 共3页 下一页", 10, "page_furniture")
    assert is_truncated(draft([BODY], removed=[pager])) is True
    one_page = meta_line("第1页/共1页 << 上一页 | 下一页 >>", 10, "site_chrome")
    assert is_truncated(draft([BODY], removed=[one_page])) is False
    buttons = meta_line("上一页 下一页", 10, "site_chrome")
    assert is_truncated(draft([BODY], removed=[buttons])) is False


def test_keywords_skip_stop_words_and_keep_user_dict_terms_whole():
    words = extract_keywords(BODY * 3)
    assert len(words) == 8
    assert {"全面从严治党", "机构编制", "正确政绩观", "四风"} <= set(words)
    assert not set(words) & read_words(STOPWORDS)
    assert "从严治党" not in words  # nested in a longer keyword


def test_keywords_reach_five_on_a_short_text_and_honour_a_custom_stop_list(tmp_path):
    text = "乡村振兴要靠产业，产业要靠人才，人才要靠教育，教育要靠投入。"
    assert len(extract_keywords(text)) >= 5
    stop = tmp_path / "stop.txt"
    stop.write_text("乡村振兴\n产业\n", encoding="utf-8")
    assert not {"乡村振兴", "产业"} & set(extract_keywords(text, stopwords=stop))


def test_describe_speech():
    speech = draft(header=["（2025年6月18日）"], removed=[meta_line("发布时间：2026-01-30")])
    meta = describe_speech(speech, {"site": "公文范文网"}, keywords=6)
    assert (meta.date, meta.occasion, meta.genre, meta.site) == (
        "2025-06-18",
        "全市机构编制工作会议",
        "讲话",
        "公文范文网",
    )
    assert meta.char_count == sum("\u4e00" <= c <= "\u9fff" for c in BODY)
    assert (meta.redactions, meta.truncated, len(meta.keywords)) == (0, False, 6)

"""split_speeches and the heading rules, on short synthetic speeches in the genre."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cleaners.document import Line, Removal
from cleaners.headings import build_sections, is_heading, load_heading_rules, numbered_level
from cleaners.structure import split_speeches
from cleaners.titles import clean_title

CASES = Path(__file__).with_name("cases")
HEADING_CASES = yaml.safe_load((CASES / "headings.yaml").read_text(encoding="utf-8"))
TITLE_CASES = yaml.safe_load((CASES / "titles.yaml").read_text(encoding="utf-8"))

OPENING = [
    "今天召开这次会议，主要任务是总结去年的工作，分析当前面临的形势，部署今年的重点任务。",
    "过去一年，全县上下攻坚克难、真抓实干，各项事业取得了新的进展，群众的获得感不断增强。",
]
PARAGRAPH = (
    "要坚持以人民为中心，把群众满意作为检验工作的根本标准，扎扎实实办好每一件民生实事，"
    "推动各项政策措施落地见效，让发展成果更多更公平地惠及全体人民群众。"
)


def as_lines(texts, tags=None, first=0):
    """Lines numbered from `first`, with optional tags."""
    tags = tags or [""] * len(texts)
    return [Line(text, first + k, tag) for k, (text, tag) in enumerate(zip(texts, tags, strict=True))]


def speech(title_lines, *, header=(), heads=("一、提高政治站位", "二、压实工作责任")):
    """A synthetic speech: title lines, header, salutation, opening and two sections."""
    body = ["同志们：", *OPENING]
    for head in heads:
        body += [head, PARAGRAPH, PARAGRAPH]
    return [*title_lines, *header, *body, "同志们，让我们携手奋进，再创佳绩。"]


def texts_of(draft):
    return [t for s in draft.sections for t in ((s.heading,) if s.heading else ()) + s.paragraphs]


@pytest.mark.parametrize("case", HEADING_CASES, ids=[c["label"] for c in HEADING_CASES])
def test_heading_forms(case):
    rules = load_heading_rules()
    if case["level"] is None:
        assert not is_heading(case["text"], rules)
        return
    assert is_heading(case["text"], rules)
    sections = build_sections([case["text"], PARAGRAPH], rules)
    assert sections[0].heading == case["text"] and sections[0].level == case["level"]


@pytest.mark.parametrize("case", TITLE_CASES, ids=[c["raw"] for c in TITLE_CASES])
def test_clean_title(case):
    assert clean_title(case["raw"]) == case["clean"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("在全县乡村振兴推进会上的讲话 - 公文在线网 _ 范文网", "在全县乡村振兴推进会上的讲话"),
        ("在全县乡村振兴推进会上的讲话  _  范文网 ", "在全县乡村振兴推进会上的讲话"),
        ("讲话_公文范文网", "讲话_公文范文网"),
    ],
    ids=["stacked suffixes", "spaced separator", "too little title left"],
)
def test_site_suffixes_are_cut_with_the_spaces_before_them(raw, clean):
    assert clean_title(raw) == clean


def test_sections_follow_the_ladder_and_run_ins_nest_below():
    sections = build_sections(
        [
            "同志们：",
            "开场。",
            "一、抓好学习",
            "正文。",
            "（一）学深悟透",
            "正文。",
            "一是深化专题研讨",
            "正文。",
            "二、抓好落实",
            "二是健全制度机制，巩固整改成果。后续正文。",
        ]
    )
    assert [(s.heading, s.level) for s in sections] == [
        (None, 0),
        ("一、抓好学习", 1),
        ("（一）学深悟透", 2),
        ("一是深化专题研讨", 3),
        ("二、抓好落实", 1),
    ]
    assert sections[-1].paragraphs == ("二是健全制度机制，巩固整改成果。后续正文。",)
    assert numbered_level("（1）明确分工", load_heading_rules()) == 4


@given(
    st.lists(
        st.sampled_from(["一、标题", "（二）小标题", "一要抓落实", PARAGRAPH, "首先，要统一思想。"]),
        max_size=12,
    )
)
def test_sections_keep_every_line_in_order(texts):
    sections = build_sections(texts)
    assert [t for s in sections for t in ((s.heading,) if s.heading else ()) + s.paragraphs] == texts


def test_single_speech_title_broken_over_two_lines_with_header():
    lines = as_lines(
        speech(["在全县安全生产暨防汛工作", "会议上的讲话"], header=["（2025年6月18日）", "县委书记 王明"])
    )
    (draft,) = split_speeches(lines)
    assert draft.title == "在全县安全生产暨防汛工作会议上的讲话"
    assert draft.header == ("（2025年6月18日）", "县委书记 王明")
    assert [(s.heading, s.level) for s in draft.sections] == [
        (None, 0),
        ("一、提高政治站位", 1),
        ("二、压实工作责任", 1),
    ]
    assert draft.sections[0].paragraphs[0] == "同志们："
    assert (draft.start, draft.end) == (0, len(lines))


def test_repeated_title_split_over_lines_is_dropped_once_with_the_preface():
    title = "在全市组织工作会议上的讲话"
    texts = speech(
        [
            f"{title}（全文4100字）",
            "今日推送一篇讲话全文，供各位笔杆子借鉴。",
            "在全市组织工作",
            "会议上的 讲话",
        ]
    )
    (draft,) = split_speeches(as_lines(texts))
    assert draft.title == title
    assert [(r.reason, r.index) for r in draft.removed] == [
        ("preface", 1),
        ("repeated_title", 2),
        ("repeated_title", 3),
    ]
    assert texts_of(draft)[0] == "同志们："


def test_page_title_is_the_fallback_and_is_cleaned():
    body = speech([])
    (draft,) = split_speeches(as_lines(body), page_title="在全县乡村振兴推进会上的讲话_公文范文网")
    assert draft.title == "在全县乡村振兴推进会上的讲话"
    assert texts_of(draft) == body


def test_html_compilation_splits_on_h1_titles_and_drops_its_own_title():
    first = speech(["在全县经济工作会议上的讲话"])
    second = speech(["在全县教育大会上的致辞"], heads=("一、办好人民满意的教育",))
    texts = ["讲话稿精选合集", "本文为大家整理了两篇讲话。", *first, *second]
    tags = ["h1", "p", "h1", *["p"] * (len(first) - 1), "h1", *["p"] * (len(second) - 1)]
    removed = [
        Removal(-1, "欢迎访问", "site_chrome", "strip"),
        Removal(3, "发布时间：2026-01-30", "page_meta", "strip"),
        Removal(99, "版权所有", "page_footer", "strip"),
    ]
    drafts = split_speeches(as_lines(texts, tags), removed)
    assert [d.title for d in drafts] == ["在全县经济工作会议上的讲话", "在全县教育大会上的致辞"]
    assert [r.reason for r in drafts[0].removed] == [
        "site_chrome",
        "compilation_text",
        "compilation_text",
        "page_meta",
    ]
    assert [r.reason for r in drafts[1].removed] == ["page_footer"]
    assert drafts[0].end == drafts[1].start == 2 + len(first)
    assert texts_of(drafts[1])[-1] == "同志们，让我们携手奋进，再创佳绩。"


def test_text_compilation_with_fanwen_markers():
    texts = [
        "2025年会议讲话范文两篇",
        "【范文一】在全县经济工作会议上的讲话",
        *speech([]),
        "范文二：",
        *speech(["在全县教育大会上的致辞"]),
    ]
    drafts = split_speeches(as_lines(texts))
    assert [d.title for d in drafts] == ["在全县经济工作会议上的讲话", "在全县教育大会上的致辞"]
    dropped = [(r.reason, r.text) for d in drafts for r in d.removed]
    assert dropped == [("compilation_text", "2025年会议讲话范文两篇"), ("compilation_text", "范文二：")]


def test_second_title_and_salutation_start_a_second_speech():
    drafts = split_speeches(as_lines(speech(["在全县经济工作会议上的讲话"]) + speech(["坚定信心 乘势而上"])))
    assert [d.title for d in drafts] == ["在全县经济工作会议上的讲话", "坚定信心 乘势而上"]
    assert all(len(d.sections) == 3 for d in drafts)


def test_input_without_a_speech_gives_nothing():
    texts = [
        "在全县经济工作会议上的讲话",
        "本文为VIP专享文档，开通会员即可阅读全文。",
        "相关文章",
        "在全县教育大会上的致辞",
    ]
    assert split_speeches(as_lines(texts)) == ()
    assert split_speeches([]) == ()


def test_subtitle_stays_a_header_line_under_the_title():
    lines = as_lines(speech(["坚持产业为本 推动乡村全面振兴", "——在全县乡村振兴工作推进会上的发言"]))
    (draft,) = split_speeches(lines)
    assert draft.title == "坚持产业为本 推动乡村全面振兴"
    assert draft.header == ("——在全县乡村振兴工作推进会上的发言",)


def test_two_line_main_title_above_a_subtitle_is_joined():
    title = ["凝心聚力谋发展", "奋力谱写高质量发展新篇章", "——在县第十五次党代会上的报告", "（2026年3月1日）"]
    (draft,) = split_speeches(as_lines(speech(title, header=["县委书记", "王明"])))
    assert draft.title == "凝心聚力谋发展 奋力谱写高质量发展新篇章"
    assert draft.header == ("——在县第十五次党代会上的报告", "（2026年3月1日）", "县委书记", "王明")


def test_title_broken_inside_a_word_and_an_office_line_under_it():
    opening = ["政府工作报", "告", "——2026年3月5日在县人民代表大会上", "县长"]
    (draft,) = split_speeches(as_lines(speech(opening)))
    assert draft.title == "政府工作报告"
    assert draft.header == ("——2026年3月5日在县人民代表大会上", "县长")


def test_notice_title_spelt_over_lines_as_the_page_title_with_its_number_below():
    body = [
        "为做好防汛工作，保障人民群众生命财产安全，根据有关规定，现就有关事项通告如下：",
        "一、汛期内禁止在河道管理范围内新建、扩建建筑物和构筑物，禁止擅自取土、采砂。",
        "二、各乡镇要切实履行属地管理责任，对违反规定的单位和个人依法严肃查处。",
        "特此通告。",
    ]
    title = "某某县人民政府关于加强汛期河道管理的通告"
    texts = ["某某县人民政府关于加强", "汛期河道管理的通告", "某政明电〔2026〕3号", *body]
    (draft,) = split_speeches(as_lines(texts), page_title=f"{title}_某某县人民政府网")
    assert draft.title == title
    assert draft.header == ("某政明电〔2026〕3号",)
    assert texts_of(draft) == body


def test_page_title_over_a_headline_and_its_second_line():
    body = [PARAGRAPH, PARAGRAPH]
    texts = ["全县延续惠企政策", "预计三年减负两亿元", *body]
    page_title = "全县延续惠企政策预计三年减负两亿元_某某网"
    (draft,) = split_speeches(as_lines(texts, ["h3", "div", "p", "p"]), page_title=page_title)
    assert draft.title == "全县延续惠企政策预计三年减负两亿元"
    assert texts_of(draft) == body


def test_a_paragraph_broken_at_its_links_is_body_not_header():
    texts = [
        "某某县人民代表大会关于政府工作报告的决议",
        "（2026年1月10日某某县第十届人民代表大会第五次会议通过）",
        "大会听取和审议了县长所作的",
        "政府工作报告",
        "。会议充分肯定县人民政府过去一年的工作，同意报告提出的今年经济社会发展的总体要求和主要目标。",
        PARAGRAPH,
    ]
    (draft,) = split_speeches(as_lines(texts))
    assert draft.title == texts[0]
    assert draft.header == (texts[1],)
    assert texts_of(draft) == texts[2:]


def test_headline_in_a_paragraph_matches_the_page_title_before_an_unknown_suffix():
    body = [PARAGRAPH, PARAGRAPH]
    texts = ["全县召开秋季农业生产工作会议", "字号大中小 打印本页 关闭窗口", *body]  # toolbar left in
    page_title = "全县召开秋季农业生产工作会议_“三农”动态"
    (draft,) = split_speeches(as_lines(texts), page_title=page_title)
    assert draft.title == "全县召开秋季农业生产工作会议"


def test_an_h1_leading_into_a_list_with_a_colon_does_not_start_a_second_record():
    intro = "很多人都有过这样的困扰：秋冬季节皮肤干燥，总觉得怎么补水都不够，其实饮食调理同样重要。"
    tip = "、多吃富含维生素的新鲜蔬菜和水果，每天保证充足的饮水量，少吃辛辣刺激的食物。"
    tips = [f"{n}{tip}" for n in range(1, 10)]
    texts = ["秋冬皮肤干燥的饮食调理", intro * 3, "秋冬饮食调理要注意：", *tips]
    tags = ["h1", "p", "h1", *["p"] * len(tips)]
    drafts = split_speeches(as_lines(texts, tags))
    assert [d.title for d in drafts] == ["秋冬皮肤干燥的饮食调理"]
    assert "秋冬饮食调理要注意：" in texts_of(drafts[0])


def test_a_web_page_s_bold_subheadings_make_sections_and_other_bold_text_stays_body():
    """News and repost pages set their unnumbered subheadings as paragraphs all in <strong> or
    <b>; a bold sentence, a bold lead-in, a bold date or a paragraph only partly bold is body."""
    from cleaners import clean_document

    sub1, sub2 = "扛稳粮食安全重任，加快建设农业强省", "系统谋划推进改革"
    page = (
        "<html><head><title>奋力谱写新时代中原更加出彩的绚丽篇章_新闻网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a></div><div class='article'>"
        "<h1>奋力谱写新时代中原更加出彩的绚丽篇章</h1>"
        f"<p>{OPENING[0]}</p><p><strong>{sub1}</strong></p><p>{PARAGRAPH}</p>"
        f"<p><b>要坚持问题导向，推动工作落实。</b></p><p><strong>王凯表示：</strong></p><p>{OPENING[1]}</p>"
        f"<p><b>{sub2}</b></p><p><strong>2024年5月10日</strong></p>"
        f"<p><strong>一要</strong>提高站位，把好方向，{PARAGRAPH}</p></div></body></html>"
    )
    record = clean_document(page.encode("utf-8"), "news.html").records[0]
    assert [(s["heading"], s["level"]) for s in record["sections"]] == [(None, 0), (sub1, 1), (sub2, 1)]
    body = [p for s in record["sections"] for p in s["paragraphs"]]
    assert "要坚持问题导向，推动工作落实。" in body and "王凯表示：" in body
    assert any(p.startswith("一要提高站位") for p in body)


def test_parts_and_chapters_head_the_ladder_and_named_sections_sit_beside_them():
    """A longer text (a 党课 in parts, a report in chapters) puts 第一部分 / 第一章 at level 1
    and its 一、 one level deeper; 导言 and 结语, spaced or not, are level-1 headings too."""
    paragraphs = ["导 言", "开场。", "第一部分 坚定理想信念", "一、提高思想认识", "正文。", "（一）学深悟透"]
    paragraphs += ["一是深化专题研讨", "正文。", "第二章 强化担当作为", "正文。", "结  语", "正文。"]
    assert [(s.heading, s.level) for s in build_sections(paragraphs)] == [
        ("导 言", 1),
        ("第一部分 坚定理想信念", 1),
        ("一、提高思想认识", 2),
        ("（一）学深悟透", 3),
        ("一是深化专题研讨", 4),
        ("第二章 强化担当作为", 1),
        ("结  语", 1),
    ]


def test_without_parts_the_ladder_keeps_its_levels_and_a_closing_section_is_level_1():
    sections = build_sections(["一、抓好学习", "正文。", "（一）学深悟透", "正文。", "结语", "正文。"])
    levels = [(s.heading, s.level) for s in sections]
    assert levels == [("一、抓好学习", 1), ("（一）学深悟透", 2), ("结语", 1)]


def test_a_sentence_opening_with_a_chapter_or_a_named_word_is_body():
    rules = load_heading_rules()
    assert numbered_level("第一章的内容我们已经讲过了，今天讲第二章。", rules) is None
    assert not is_heading("结语部分，我想再强调三点意见。", rules)
    assert numbered_level("第三讲 坚持人民至上", rules) == 0


def test_a_named_section_under_the_title_opens_the_body_and_is_no_speaker():
    """A short line like 导言 reads like a two-character name; under a title it opens the body."""
    from cleaners import clean_document

    text = "\n\n".join(["中国式现代化的发展历程与实践路径", "导 言", OPENING[0], "第一章 发展历程", PARAGRAPH,
                        "第二章 实践路径", OPENING[1]])
    record = clean_document(text.encode("utf-8"), "report.txt").records[0]
    assert record["speaker"] is None
    levels = [(s["heading"], s["level"]) for s in record["sections"]]
    assert levels[:2] == [("导言", 1), ("第一章发展历程", 1)]


@pytest.mark.parametrize(
    "letterhead",
    [
        ["中共某某县委员会文件", "某委发〔2024〕3号"],
        ["某某县人民政府", "某政发〔2024〕5号"],
        ["某某市人民政府办公室文件"],
    ],
)
def test_an_official_document_s_letterhead_and_number_sit_above_its_title(letterhead):
    """A 红头文件 opens with the issuing authority's name and its document number, then the
    title: the number marks the letterhead, and the title is the line after it."""
    from cleaners import clean_document

    title = "关于印发县委书记在全县作风建设大会上的讲话的通知"
    body = ["各乡镇党委，县委各部委办局：", OPENING[0], PARAGRAPH, "2024年3月5日"]
    text = "\n\n".join([*letterhead, title, *body])
    record = clean_document(text.encode("utf-8"), "notice.txt").records[0]
    assert record["title"] == title
    removed = [(r["text"], r["reason"]) for r in record["removed"]]
    assert removed == [(line, "before_title") for line in letterhead]


def test_a_document_number_under_a_portal_page_s_title_still_marks_the_title():
    from cleaners import clean_document

    title = "某某县人民政府关于加强安全生产工作的意见"
    lines = ["首页 > 政务公开", title, "某政发〔2024〕5号", "各乡镇人民政府：", OPENING[1], PARAGRAPH]
    text = "\n\n".join(lines)
    record = clean_document(text.encode("utf-8"), "portal.txt").records[0]
    assert record["title"] == title


def test_header_lines_fill_the_fields_and_are_listed_as_removed_with_their_reason():
    """The lines between a title and the body are read into the record, never lost silently."""
    from cleaners import clean_document

    header = ["——在全县作风建设推进会上的讲话", "县委书记 张某某", "（2025年3月2日）"]
    text = "\n".join(["坚持严的基调，推动作风建设常态长效", *header, "同志们：", OPENING[0], PARAGRAPH])
    record = clean_document(text.encode("utf-8"), "speech.txt").records[0]
    assert (record["date"], record["occasion"]) == ("2025-03-02", "全县作风建设推进会")
    read = ["——在全县作风建设推进会上的讲话", "县委书记张某某", "（2025年3月2日）"]  # spaces settled
    assert [(r["text"], r["reason"]) for r in record["removed"]] == [(line, "header_line") for line in read]

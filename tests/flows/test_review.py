"""The review page: kept text beside removed lines, counts per reason, refusals, filters, escaping.

Unit tests build pages from hand-made records and read them back with the standard library's
HTML parser. The browser tests render a page in headless Chromium (Debian's `chromium`): with
--dump-dom it prints the DOM after the page's script ran, so a filter set in the URL fragment
shows up as `hidden` attributes; with --screenshot it draws the page as a person would see it.
"""

from __future__ import annotations

import struct
import subprocess
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cleaners.document import Refusal
from cleaners.records import dump_record
from flows.record_tools.review import build_page, read_refused, write_review
from flows.run_state.refusals import refusal_data

CHROMIUM = Path("/usr/bin/chromium")
VOID = {"meta", "input", "br", "img", "link", "hr", "col", "wbr"}
SCRIPT = '<script>document.title = "pwned"</script>'


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def find(self, tag: str, **attrs: str) -> list[Element]:
        """Every element below this one with the tag and attributes (`class_` for class)."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        found = []
        for child in self.children:
            if child.tag == tag and all(child.attrs.get(k) == v for k, v in wanted.items()):
                found.append(child)
            found += child.find(tag, **attrs)
        return found

    @property
    def hidden(self) -> bool:
        return "hidden" in self.attrs


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        if any(e.tag == tag for e in self.open[1:]):
            while self.open.pop().tag != tag:
                pass

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def parse(page: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(page)
    return builder.root


def record(path="a.txt", speech=1, site=None, removed=(), title="在全县农业工作会议上的讲话", **changes):
    rec = {
        "schema_version": 1,
        "id": f"{speech:016x}",
        "title": title,
        "date": "2025-03-02",
        "speaker": None,
        "genre": "讲话",
        "site": site,
        "truncated": False,
        "char_count": 40,
        "source": {"path": path, "speech": speech, "sha256": "a" * 64},
        "sections": [
            {"heading": None, "level": 0, "paragraphs": ["同志们：", "今天召开会议。"]},
            {"heading": "一、稳住粮食生产", "level": 1, "paragraphs": ["要稳面积。"]},
            {"heading": "（一）抓好春耕", "level": 2, "paragraphs": ["早谋划。"]},
        ],
        "removed": [{"text": text, "reason": reason, "stage": "boilerplate"} for reason, text in removed],
    }
    rec.update(changes)
    return rec


RECORDS = [
    record("wenku/b.html", removed=[("site_chrome", "浏览量：9"), ("page_meta", "发布时间：2025-03-02")]),
    record("a.txt", 2, site="政务范文站", removed=[("site_chrome", "相关文章"), ("promo", SCRIPT)]),
    record("a.txt", 1, site="政务范文站", removed=[("site_chrome", "返回首页")]),
    record("c.txt", title="在全市安全生产工作会议上的讲话"),
]
REFUSED = {"scan-photo.txt": Refusal("binary", "starts with the signature of a PNG image")}


@pytest.fixture
def page() -> Element:
    return parse(build_page(RECORDS, REFUSED, "review"))


def test_untrusted_text_is_escaped():
    hostile = record('x"&<y>.txt', site='"><b>站</b>', title="<i>讲话</i>", removed=[("site_chrome", SCRIPT)])
    html = build_page([hostile], {"<z>.txt": Refusal("<b>binary</b>", "<png>")}, "<review>")
    assert SCRIPT not in html and "<i>" not in html and "<b>" not in html and "<z>" not in html
    assert "&lt;script&gt;document.title = &quot;pwned&quot;&lt;/script&gt;" in html
    assert html.count("<script>") == 1  # the page's own filter script
    section = parse(html).find("section", class_="input")[0]
    assert section.attrs["data-site"] == '"><b>站</b>'
    assert SCRIPT in section.find("li", class_="removal")[0].text


def test_one_section_per_input_in_path_order_with_speeches_in_order(page):
    sections = page.find("section", class_="input")
    assert [s.find("h2")[0].text for s in sections] == ["a.txt", "c.txt", "wenku/b.html"]
    speeches = sections[0].find("article", class_="speech")
    assert [a.attrs["id"] for a in speeches] == [f"{1:016x}", f"{2:016x}"]


def test_counts_per_reason_count_lines_and_inputs(page):
    rows = {
        tr.find("input")[0].attrs["value"]: [td.text for td in tr.find("td", class_="n")]
        for tr in page.find("tr")
        if tr.find("input", name="reason")
    }
    assert rows == {"site_chrome": ["3", "2"], "page_meta": ["1", "1"], "promo": ["1", "1"]}
    assert list(rows)[0] == "site_chrome"  # most lines first


def test_refused_inputs_are_listed_with_reason_and_detail(page):
    (panel,) = page.find("div", id="refused")
    assert "scan-photo.txt" in panel.text
    assert panel.find("span", class_="tag")[0].text == "binary"
    assert "signature of a PNG image" in panel.text
    assert "Refused" not in build_page(RECORDS, {}, "review")


def test_kept_text_shows_title_headings_by_level_and_paragraphs(page):
    (kept,) = page.find("section", class_="input")[1].find("div", class_="kept")
    assert kept.find("h3")[0].text == "在全市安全生产工作会议上的讲话"
    indents = {s.find("h4")[0].text: s.attrs["style"] for s in kept.find("div", class_="sec") if s.find("h4")}
    assert indents == {"一、稳住粮食生产": "--indent:0", "（一）抓好春耕": "--indent:1"}
    assert [p.text for p in kept.find("p") if "meta" not in (p.attrs.get("class") or "")][:2] == [
        "同志们：",
        "今天召开会议。",
    ]


def test_filters_have_their_data_attributes(page):
    sections = {s.find("h2")[0].text: s for s in page.find("section", class_="input")}
    assert sections["a.txt"].attrs["data-site"] == "政务范文站"
    assert sections["wenku/b.html"].attrs["data-site"] == "wenku"  # no site: the source folder
    assert sections["c.txt"].attrs["data-site"] == "(top folder)"
    assert sections["a.txt"].attrs["data-reasons"] == "promo site_chrome"
    assert sections["c.txt"].attrs["data-reasons"] == ""
    reasons = {li.attrs["data-reason"] for li in page.find("li", class_="removal")}
    assert reasons == {"site_chrome", "page_meta", "promo"}
    options = [o.attrs["value"] for o in page.find("select", id="site")[0].find("option")]
    assert options == ["", "(top folder)", "wenku", "政务范文站"]


def test_write_review_reads_the_clean_folder(tmp_path):
    for rec in RECORDS:
        name = f"{rec['source']['path']}.{rec['source']['speech']}.yaml"
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(dump_record(rec), encoding="utf-8")
    state = tmp_path / "_jianggao"
    state.mkdir()
    refused = {path: refusal_data(why) for path, why in REFUSED.items()}
    (state / "report.yaml").write_text(dump_record({"inputs": 5, "refused": refused}), encoding="utf-8")
    (state / "site_memory.yaml").write_text("not: a record\n", encoding="utf-8")

    written = write_review(tmp_path)

    assert written == tmp_path / "review.html"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file
    assert written.read_text(encoding="utf-8") == build_page(
        RECORDS, REFUSED, f"jianggao review: {tmp_path.name}"
    )
    assert write_review(tmp_path, tmp_path / "out" / "r.html").is_file()


def test_refusals_are_empty_without_a_readable_report(tmp_path):
    assert read_refused(tmp_path) == {}
    (tmp_path / "_jianggao").mkdir()
    (tmp_path / "_jianggao" / "report.yaml").write_text("refused: [unclosed\n", encoding="utf-8")
    assert read_refused(tmp_path) == {}


# --- in a browser ----------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless browser test needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
)


def chromium(tmp_path: Path, *args: str) -> str:
    """Run headless Chromium offline and quiet; its standard output."""
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={tmp_path / 'chromium'}",
            *args,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def review_page(tmp_path) -> Path:
    path = tmp_path / "review.html"
    path.write_text(build_page(RECORDS, REFUSED, "jianggao review"), encoding="utf-8")
    return path


@needs_chromium
def test_browser_shows_chinese_text_and_removed_lines_with_reasons(tmp_path, review_page):
    dom = parse(chromium(tmp_path, "--dump-dom", review_page.as_uri()))

    assert dom.find("title")[0].text == "jianggao review"  # the hostile removed line did not run
    assert "在全市安全生产工作会议上的讲话" in [h.text for h in dom.find("h3")]
    rows = {li.find("span", class_="text")[0].text: li for li in dom.find("li", class_="removal")}
    assert rows["浏览量：9"].find("span", class_="tag")[0].text == "site_chrome"
    assert rows[SCRIPT].find("span", class_="tag")[0].text == "promo"
    assert not any(li.hidden for li in rows.values())
    assert dom.find("p", id="shown")[0].text == "3 of 3 inputs shown"


@needs_chromium
def test_browser_filters_by_reason_and_site_from_the_url(tmp_path, review_page):
    dom = parse(chromium(tmp_path, "--dump-dom", review_page.as_uri() + "#reason=site_chrome"))
    shown = {li.attrs["data-reason"] for li in dom.find("li", class_="removal") if not li.hidden}
    assert shown == {"site_chrome"}
    hidden = [s.find("h2")[0].text for s in dom.find("section", class_="input") if s.hidden]
    assert hidden == ["c.txt"]  # no site_chrome line there

    dom = parse(
        chromium(
            tmp_path,
            "--dump-dom",
            review_page.as_uri() + "#site=%E6%94%BF%E5%8A%A1%E8%8C%83%E6%96%87%E7%AB%99",
        )
    )
    shown = [s.find("h2")[0].text for s in dom.find("section", class_="input") if not s.hidden]
    assert shown == ["a.txt"]  # 政务范文站
    assert dom.find("p", id="shown")[0].text == "1 of 3 inputs shown"


def png_facts(data: bytes) -> tuple[int, int, int]:
    """Width, height and how many different bytes its pixel rows hold (a blank page has few)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@needs_chromium
def test_browser_screenshot_is_a_picture_of_the_page(tmp_path, review_page):
    shot = tmp_path / "review.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", review_page.as_uri())

    width, height, distinct = png_facts(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    assert shot.stat().st_size > 20_000 and distinct > 64

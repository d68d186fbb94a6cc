"""Every reason code a stage gives is in the registry, and the docs show the registry as it is."""

import ast
from pathlib import Path

import pytest
import yaml

from cleaners.boilerplate import load_boilerplate_rules
from cleaners.pipeline import clean_input
from cleaners.reasons import load_reasons, refusal_table, removal_table
from cleaners.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = load_reasons()


def codes_in_source(path: Path) -> set[str]:
    """String literals a module passes as a reason: `Removal(…, "code", …)`, `Refusal("code", …)`,
    a run's own `Outcome.refusal("code", …)`, a `reason=` or `refused=` keyword, or a value
    assigned to a name `reason`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def literals(node: ast.AST) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return literals(node.body) | literals(node.orelse)
        return set()

    for node in ast.walk(tree):
        is_call = isinstance(node, ast.Call)
        if is_call and isinstance(node.func, ast.Attribute) and node.func.attr == "refusal" and node.args:
            found |= literals(node.args[0])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "Removal" and len(node.args) >= 3:
                found |= literals(node.args[2])
            if node.func.id == "Refusal" and node.args:
                found |= literals(node.args[0])
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in ("reason", "refused"):
                    found |= literals(keyword.value)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "reason" for t in node.targets
        ):
            found |= literals(node.value)
    return found


MODULES = sorted((ROOT / "cleaners").rglob("*.py")) + sorted((ROOT / "flows").rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_stages_and_flows_give_only_registered_codes(module):
    unknown = codes_in_source(module) - set(REGISTRY.removals) - set(REGISTRY.refusals)
    assert not unknown, f"{module.name} gives codes missing from cleaners/data/reasons.yaml: {unknown}"


def test_the_source_scan_sees_codes():
    # The scan above must find the codes the stages and the run do give, or it would pass on anything.
    assert {"too_large", "binary", "empty"} <= codes_in_source(ROOT / "cleaners" / "decode.py")
    assert {"before_title", "after_speech"} <= codes_in_source(ROOT / "cleaners" / "structure.py")
    assert {"unreadable", "error"} <= codes_in_source(ROOT / "flows" / "run_state" / "batch.py")
    assert "batch_failed" in codes_in_source(ROOT / "flows" / "orchestration" / "clean_corpus.py")
    assert "unreadable" in codes_in_source(ROOT / "flows" / "record_tools" / "detect.py")


def test_the_source_scan_finds_an_unregistered_refusal(tmp_path):
    module = tmp_path / "made_up.py"
    module.write_text('why = Outcome.refusal("disk_gremlins", "detail")\n', encoding="utf-8")
    assert codes_in_source(module) - set(REGISTRY.refusals) == {"disk_gremlins"}


def test_a_run_cannot_make_an_unregistered_refusal():
    from flows.run_state.batch import Outcome

    assert Outcome.refusal("batch_failed", "timed out").reason == "batch_failed"
    with pytest.raises(ValueError, match="disk_gremlins"):
        Outcome.refusal("disk_gremlins", "detail")


def test_shipped_boilerplate_codes_are_registered():
    rules = load_boilerplate_rules()
    missing = {c.reason for c in rules.categories} - set(REGISTRY.removals)
    assert not missing


def test_every_removal_in_a_real_run_is_registered(tmp_path):
    page = (
        "<html><head><title>在全市工作会议上的讲话_某某文库</title></head><body>"
        "<div class=nav>首页 | 讲话稿 | 党课</div><div class=content><h1>在全市工作会议上的讲话</h1>"
        "<p>浏览量：45</p><p>同志们：</p><p>今天召开全市工作会议，主要任务是总结去年工作，部署今年任务。"
        "我们要坚持稳中求进，扎实推进各项工作落地见效。</p><p>一、统一思想，提高认识</p>"
        "<p>各级领导干部要切实增强责任感和紧迫感，以更加务实的作风抓好落实。</p>"
        "<p>加入VIP免费下载全文</p></div><div class=foot>版权所有 ICP备12345678号</div></body></html>"
    )
    result = clean_input(page.encode("utf-8"), "site/page.html", Settings())
    reasons = set(result.removals)
    assert {"outside_main_content", "paywall_prompt"} <= reasons
    assert reasons <= set(REGISTRY.removals)


def test_docs_show_the_registry():
    docs = (ROOT / "docs" / "record.md").read_text(encoding="utf-8")
    assert removal_table() in docs, "regenerate the table in docs/record.md from cleaners.reasons"
    assert refusal_table() in docs


def test_refusal_docstring_names_every_refusal():
    from cleaners.document import Refusal

    assert all(f"`{code}`" in (Refusal.__doc__ or "") for code in REGISTRY.refusals)


def test_registry_file_is_well_formed():
    data = yaml.safe_load((ROOT / "cleaners" / "data" / "reasons.yaml").read_text(encoding="utf-8"))
    for code, entry in data["removals"].items():
        assert code.isidentifier() and code.islower()
        assert entry["stage"] and entry["meaning"] and 0 <= int(entry["hue"]) < 360

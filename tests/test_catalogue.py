"""The rule catalogue: every finding names a rule with a stable id, and the catalogue is the one
place where built-in rules, their statements and messages are written."""
import json
import re
from pathlib import Path

from conftest import BUDGET_2023, BUDGET_2024_FIXED, SAMPLES

from budget_xl import check, narrate
from budget_xl.rules.catalogue import BY_ID, RULES, message, rule_id_of

ROOT = Path(__file__).resolve().parent.parent


def test_ids_and_names_are_unique_and_every_message_template_formats():
    assert len({r.id for r in RULES}) == len(RULES) and len({r.name for r in RULES}) == len(RULES)
    for r in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.id), r.id
        for kind, template in r.messages.items():
            fields = dict.fromkeys(re.findall(r"{(\w+)}", template), "x")
            assert message(r.id, kind, **fields)


def test_every_finding_of_the_samples_carries_a_known_rule_id(tmp_path):
    seen = set()
    for path in sorted(SAMPLES.rglob("*.xlsx")):
        report = check(path)
        identity_ids = {i.id for i in report_template(path).identities}
        for f in report.findings:
            assert f.rule_id in BY_ID or f.rule_id in identity_ids, (path.name, f.rule, f.message)
            seen.add(f.rule_id)
    # The samples exercise most built-in rules; the narrative rules are checked below.
    assert {"class-sum", "col-sum", "missing-table"} <= seen


def test_narrative_findings_carry_their_rule_ids(cli, tmp_path):
    budget = BUDGET_2024_FIXED
    prior = BUDGET_2023
    text = tmp_path / "说明.txt"
    narrate(budget, text, prior=prior)
    body = text.read_text(encoding="utf-8").replace("比2023年预算减少4612.25万元", "比2023年预算减少4612.52万元", 1)
    text.write_text(body, encoding="utf-8")
    out = json.loads(cli("check", budget, "--narrative", text, "--prior", prior, "--format", "json").stdout)
    narrative = [f for f in out["findings"] if f["tables"] == ["情况说明"]]
    assert narrative and {f["rule_id"] for f in narrative} <= {"text-table", "text-self", "text-rounding"}
    assert all(f["rule"] == BY_ID[f["rule_id"]].name for f in narrative)


def test_row_formula_findings_keep_the_template_formula_in_their_name():
    assert rule_id_of("行公式:R1") == "row-formula" and rule_id_of("YS07-01") == "YS07-01"


def test_identities_document_lists_every_built_in_rule():
    text = (ROOT / "templates" / "IDENTITIES.md").read_text(encoding="utf-8")
    for r in RULES:
        assert f"| `{r.id}` | {r.name} |" in text


def report_template(path):
    """The template a sample is read with; for a workbook of 绩效 forms, the forms' identities."""
    from types import SimpleNamespace

    from budget_xl import read
    from budget_xl.reader import OnlyForms
    from budget_xl.templates.form_builder import load_form_sets

    forms = [i for fs in load_form_sets() for f in fs.forms.values() for i in f.identities]
    try:
        return SimpleNamespace(identities=[*read(path).template.identities, *forms])
    except OnlyForms:
        return SimpleNamespace(identities=forms)

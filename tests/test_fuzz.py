"""A fixed seeded sample of the fuzz campaign (issue 17): hostile and broken workbooks of every
family and sample kind (部门预算/决算, 政府预算, 明细, 绩效 forms), each run as a real process under one
command drawn among all (check, show, json, --annotate, fill and its --force/--full/--performance
forms, narrate, diff), the first 200 cases of the full campaign, held to the contract (exit
0/1/2, one Chinese sentence, no English exception text, input untouched, no partial output, no live
formula, within 30 s and 1 GB). The full campaign is benchmarks/fuzz.py.

Deselect with `-m "not fuzz"` when iterating on something else; it runs by default."""
import pytest
from fuzz.campaign import run_campaign

SEED, INPUTS, PER_CASE = 17, 200, 1


@pytest.mark.fuzz
def test_seeded_fuzz_sample_keeps_the_contract(tmp_path):
    figures = run_campaign(SEED, INPUTS, PER_CASE, jobs=2, work=tmp_path)
    assert figures.runs >= INPUTS * PER_CASE
    assert len(figures.families) >= 9, figures.families   # the newer kinds' families (percent, items, forms) too
    assert not figures.failures, "\n" + figures.report()

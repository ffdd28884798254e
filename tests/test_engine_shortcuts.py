"""The engine's shortcuts (equations that hold left out before they are made, the second pass's
equations near some cells, the column hypotheses' statuses) give what the full generation and
evaluation give."""
import pytest
from test_samples import BUDGET_2024, FINAL_2024

import budget_xl
from budget_xl.derive import complete, derive_tables
from budget_xl.rules.engine import equations, equations_near, statuses


def _disclosures():
    published = budget_xl.read(BUDGET_2024)          # real errors, a column under the wrong header
    final = budget_xl.read(FINAL_2024)
    derived = budget_xl.read(BUDGET_2024)            # tables derived by fill: terms without cells
    complete(derived)
    derive_tables(derived)
    return [published, final, derived]


@pytest.fixture(scope="module")
def disclosures():
    return _disclosures()


def test_skip_holding_leaves_out_exactly_the_equations_that_evaluate_ok(disclosures):
    failing = 0
    for d in disclosures:
        every = [(eq.key, eq.evaluate()) for eq in equations(d)]
        shortcut = [(eq.key, eq.evaluate()) for eq in equations(d, skip_holding=True)]
        assert shortcut == [e for e in every if e[1] != "ok"]
        failing += sum(status == "fail" for _, status in shortcut)
    assert failing


def test_statuses_are_those_of_the_equations_of_the_table(disclosures):
    for d in disclosures:
        for code in d.tables:
            expected = {eq.key: eq.evaluate() for eq in equations(d, only={code})}
            assert statuses(d, code) == expected


def test_equations_near_cells_keep_every_equation_with_a_term_there(disclosures):
    tried = 0
    for d in disclosures:
        failed = [eq for eq in equations(d, skip_holding=True) if eq.evaluate() != "ok"]
        cells = {t.cell for eq in failed for t in eq.terms if t.cell is not None}
        tried += bool(cells)

        def at(eqs):
            return [eq.key for eq in eqs if any(t.cell in cells for t in eq.terms if t.cell is not None)]

        assert at(equations_near(d, cells)) == at(equations(d))
    assert tried

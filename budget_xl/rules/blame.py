"""From failed equations to findings: one finding per wrong cell, not a cascade.

A wrong amount usually breaks several identities at once (its column total, its parent row, the
same amount in another table). For each cell of a failed equation we compute the value that would
make that equation hold, then count how many failed equations that one correction would mend and
how many holding ones it would break. The cell whose correction mends the most (two tables agreeing
against a third, a total against its parts and its parents) is named first, with its expected
value, and every equation it explains is folded into that one finding.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..model import CellRef
from ..money import fmt
from ..references import Amount
from .engine import TEN_THOUSAND, Equation, rounded_terms
from .findings import Finding


def _delta_for(eq: Equation, term: Amount, on_left: bool) -> Decimal:
    """The change of `term` (in its own unit) that makes `eq` hold exactly."""
    side = 1 if on_left else -1
    delta = -eq.diff * side * term.sign
    if eq.unit == "万元" and term.unit == "元":
        delta *= TEN_THOUSAND
    return delta


def _shifted_status(eq: Equation, term: Amount, on_left: bool, delta: Decimal) -> bool:
    """Whether eq holds (ok or within rounding) once `term` is changed by delta."""
    return eq.status_of(eq.shifted_diff(term, on_left, delta)) != "fail"


def explain(failed: list[Equation], evaluated: list[Equation], max_rounds: int = 500) -> list[Finding]:
    by_cell: dict[CellRef, list[tuple[Equation, Amount, bool]]] = defaultdict(list)
    for eq in evaluated:
        for on_left, terms in ((True, eq.left), (False, eq.right)):
            for t in terms:
                if t.cell is not None:
                    by_cell[t.cell].append((eq, t, on_left))
    failing = {id(eq): eq for eq in failed}
    findings: list[Finding] = []
    # Greedy, one wrong cell at a time: its correction is applied (virtually) before looking for
    # the next, so two errors on one row (a wrong 类 and a wrong 合计 above it) are both found.
    for _ in range(max_rounds):
        best = _best_candidate(failing, by_cell)
        if best is None:
            break
        cell, term, new_value, delta = best
        mended = []
        for eq, t, on_left in by_cell[cell]:
            before = id(eq) in failing
            _shift(eq, t, on_left, delta)
            if before and eq.status != "fail":
                mended.append(eq)
                del failing[id(eq)]
            elif not before and eq.status == "fail":
                failing[id(eq)] = eq
        for _, t, _ in by_cell[cell]:
            t.value = new_value
        findings.append(finding_for_cell(mended, cell, term, new_value, term.value - delta))
    for eq in failing.values():
        finding = plain(eq)
        finding.cells, suspects = _ranked_cells(eq, failing, by_cell)
        if len(suspects) > 1:
            # A tie the identities cannot break (a 款 checked only by its 类 = Σ 款): say so, blame none.
            shown = "、".join(str(c) for c in suspects[:6]) + ("等" if len(suspects) > 6 else "")
            finding.message += (f"。仅凭核对公式无法确定是哪一格：改正 {shown}（共 {len(suspects)} 格）中任一格"
                                "都能使本式成立而不影响其他公式，请逐一核对")
        findings.append(finding)
    return findings


def _ranked_cells(eq: Equation, failing: dict[int, Equation], by_cell) -> tuple[list[CellRef], list[CellRef]]:
    """The cells of an equation no single cell explains, the likeliest culprits first: a cell whose
    correction would break identities that hold (a 类 total that also agrees with 人员经费合计) goes
    last; among the others, a correction that undoes a typing slip comes first. Also: the cells whose
    correction breaks nothing (any of them may be the wrong one)."""
    ranked = []
    for order, (on_left, t) in enumerate([(True, t) for t in eq.left] + [(False, t) for t in eq.right]):
        if t.cell is None:
            continue
        delta = _delta_for(eq, t, on_left)
        broken = sum(1 for other, term, side in by_cell[t.cell]
                     if id(other) not in failing and not _shifted_status(other, term, side, delta))
        ranked.append((broken > 0, -plausibility(t.value, t.value + delta), order, t.cell))
    ranked.sort(key=lambda item: item[:3])
    suspects = list(dict.fromkeys(cell for broken, *_, cell in ranked if not broken))
    return list(dict.fromkeys(cell for *_, cell in ranked)), suspects


def _best_candidate(failing: dict[int, Equation], by_cell):
    candidates: dict[tuple[CellRef, Decimal], tuple[Amount, Decimal]] = {}
    for eq in failing.values():
        for on_left, terms in ((True, eq.left), (False, eq.right)):
            for t in terms:
                if t.cell is not None:
                    delta = _delta_for(eq, t, on_left)
                    candidates.setdefault((t.cell, t.value + delta), (t, delta))
    best, best_key, runner_up = None, None, None
    for (cell, new_value), (t, delta) in candidates.items():
        mended = broken = 0
        for eq, term, on_left in by_cell[cell]:
            holds = _shifted_status(eq, term, on_left, delta)
            if id(eq) in failing and holds:
                mended += 1
            elif id(eq) not in failing and not holds:
                broken += 1
        key = (mended - broken, mended, plausibility(t.value, new_value))
        if best_key is None or key > best_key:
            runner_up, best_key, best = best_key, key, (cell, t, new_value, delta)
        elif runner_up is None or key > runner_up:
            runner_up = key
    if best is None or best_key is None:  # set together: None when there was no candidate
        return None
    score, mended, _ = best_key
    # Blame a cell when its correction mends more than it breaks and it is the clear best: two or
    # more failures mended, or one mended with nothing broken and no other cell as good (a tie is
    # broken by which correction undoes a typing slip, see plausibility).
    if score <= 0 or (mended < 2 and (score < 1 or (runner_up is not None and runner_up >= best_key))):
        return None
    return best


def plausibility(actual: Decimal, corrected: Decimal) -> int:
    """How much a correction looks like undoing a clerk's slip — a sign, a factor of 10 or 10,000
    (元 for 万元), two digits swapped — or like removing a negative amount, rather than making one.
    Only breaks ties between cells that explain the same failures equally well."""
    score = 0
    if slip(actual, corrected):
        score += 2
    if actual < 0 <= corrected:
        score += 1
    elif corrected < 0 <= actual:
        score -= 2
    return score


_SLIP_KINDS = {"符号": "sign", "位数": "magnitude", "单位": "unit", "数字颠倒": "digits"}


def slip(actual: Decimal, corrected: Decimal) -> str:
    """The slip that turns `corrected` into `actual` (符号 / 位数 / 单位 / 数字颠倒), or ''."""
    if not actual or not corrected or actual == corrected:
        return ""
    if actual == -corrected:
        return "符号"
    if actual in (corrected * 10, corrected / 10):
        return "位数"
    if actual in (corrected * 10000, corrected / 10000):
        return "单位"
    a, c = f"{abs(actual):.2f}", f"{abs(corrected):.2f}"
    if len(a) == len(c) and (actual > 0) == (corrected > 0):
        diff = [i for i, (x, y) in enumerate(zip(a, c)) if x != y]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == c[diff[1]] and a[diff[1]] == c[diff[0]]:
            return "数字颠倒"
    return ""


def _shift(eq: Equation, term: Amount, on_left: bool, delta: Decimal) -> None:
    eq.diff = eq.shifted_diff(term, on_left, delta)
    eq.status = eq.status_of(eq.diff)


def _cells(eqs: list[Equation], first: CellRef | None) -> list[CellRef]:
    cells: dict[CellRef, None] = {}
    if first is not None:
        cells[first] = None
    for eq in eqs:
        for t in eq.terms:
            if t.cell is not None:
                cells.setdefault(t.cell)
    return list(cells)


def _level(eqs: list[Equation]) -> str:
    return "error" if any(eq.level == "error" for eq in eqs) else "warning"


def finding_for_cell(eqs: list[Equation], cell: CellRef, t: Amount, new_value: Decimal, actual: Decimal) -> Finding:
    """One wrong cell: its expected value, and every equation it breaks folded in."""
    first = eqs[0]
    unit = "万元" if t.unit == "万元" else "元"
    kind = slip(actual, new_value)
    hint = {"符号": "（看来是正负号反了）", "位数": "（看来是多写或少写了一位）", "单位": "（看来是元与万元弄混了）",
            "数字颠倒": "（看来是两位数字颠倒了）"}.get(kind, "")
    message = (f"{t.label}（{cell}）应为 {fmt(new_value)}，实际为 {fmt(actual)}，相差 {fmt(actual - new_value)} {unit}{hint}。"
               f"{first.text}")
    others = list(dict.fromkeys(eq.rule for eq in eqs[1:]))
    if len(eqs) > 1:
        message += f"。这一处还使另外 {len(eqs) - 1} 条公式不成立（{'、'.join(others)}）"
    tables = tuple(dict.fromkeys(tb for eq in eqs for tb in eq.tables))
    return Finding(_level(eqs), first.rule, first.text, message, tables, _cells(eqs, cell),
                   expected=new_value, actual=actual, also=tuple(r for r in others if r != first.rule), blamed=True,
                   hypothesis=_SLIP_KINDS.get(kind, ""))


def plain(eq: Equation) -> Finding:
    """A failed equation reported as it stands, no cell blamed."""
    left, right = eq.sides()
    return Finding(_level([eq]), eq.rule, eq.text, f"{eq.text}：{eq.describe()}", eq.tables, _cells([eq], None),
                   expected=right, actual=left)


def missing_row(eq: Equation) -> Finding:
    """A failed equation whose one side is a row the table does not have: that row is what is wrong,
    not the cells of the other side."""
    from .catalogue import message, rule

    absent = next(t for t in eq.terms if t.absent)
    present = [t for t in eq.terms if not t.absent and t.value]
    what = "、".join(t.label for t in present[:2]) + ("等" if len(present) > 2 else "")
    amount = sum((t.value for t in present), Decimal(0))
    r = rule("missing-row")
    return Finding(_level([eq]), r.name, r.statement,
                   message("missing-row", "missing", absent=absent.label, statement=eq.text,
                           present=what, amount=fmt(amount)),
                   eq.tables, _cells([eq], absent.cell), expected=None, actual=amount, also=(eq.rule,))


def within_rounding(eq: Equation) -> Finding:
    """A difference within 尾数误差: k + 1 rounded amounts may miss by up to (k + 1) half units of
    their last printed digit. One far beyond what rounding gives in practice (more than four
    standard deviations of the sum of the amounts' rounding) is still within the bound, but is
    reported as a warning: most likely a wrong amount, not 尾数. Four standard deviations: rounding alone
    goes that far less than once in ten thousand sums, and never in a sum of four or fewer parts."""
    left, right = eq.sides()
    n, half = rounded_terms(eq)
    unit = eq.unit
    step = "整万元" if unit == "万元" and half == HALF else "整元" if half == HALF else f"{fmt_step(2 * half)} {unit}"
    bound = (f"{n} 个金额各印到{step}，每个至多有 ±{fmt_step(half)} {unit} 的尾数，合计允许 ±{fmt_step(eq.tolerance)} {unit}"
             if n else f"±{fmt_step(eq.tolerance)} {unit}")
    usual = 4 * 2 * half * (Decimal(n) / 12).sqrt() if n >= 4 else None
    if usual is not None and abs(eq.diff) > usual:
        message = (f"{eq.text}：{eq.describe()}。差额在尾数误差上限之内（{bound}），但 {n} 个四舍五入的金额通常相差不超过 "
                   f"±{fmt_step(usual.quantize(Decimal('0.01')))} {unit}（四倍标准差）：很可能不是尾数，请核对")
        return Finding("warning", eq.rule, eq.text, message, eq.tables, _cells([eq], None), expected=right, actual=left)
    message = f"{eq.text}：{eq.describe()}，在尾数误差允许范围内（{bound}）"
    return Finding("rounding", eq.rule, eq.text, message, eq.tables, _cells([eq], None), expected=right, actual=left)


HALF = Decimal("0.5")


def fmt_step(value: Decimal) -> str:
    """0.5 → '0.5', 12.50 → '12.5', 0.015 → '0.015': a bound as short as it is exact."""
    text = format(value.normalize(), "f")
    return text

"""The 绩效 forms against the money of the same disclosure (the template's `against`): each project
form against its row of the 项目支出表 (附表12: same unit, same or nearly the same name; 元 against
万元 rounded half up), the 部门整体 figures against the department's (or unit's) rows, and Σ of a
field over the forms against one amount (决算 项目支出)."""
from __future__ import annotations

from decimal import Decimal
from difflib import SequenceMatcher

from ..model import DEPT, ITEM, TOTAL_KEY, UNIT, Disclosure, Row, Table
from ..money import fmt, round_half_up, rounding_envelope
from ..performance import Form, PerformanceBook, name_key
from ..templates.forms import Against
from .catalogue import message as text
from .catalogue import rule
from .findings import finding
from .performance import ZERO, Check, Context, Term

TEN_THOUSAND = Decimal(10000)
HALF = Decimal("0.005")          # a 元 amount rounded half up to 万元 misses it by at most this
TWO_ROUNDED = Decimal("0.015")   # a 万元 figure added up from two rounded ones
SIMILAR = 0.8                    # names this alike (difflib ratio) are the same project written differently


def links(book: PerformanceBook, d: Disclosure) -> list[tuple[Against, list[Form]]]:
    from ..templates.form_builder import load_form_sets

    out = []
    for fs in load_form_sets():
        if fs.id not in book.form_sets:
            continue
        for a in fs.against:
            if d.template.id in a.tables or d.template.extends in a.tables:
                forms = [f for f in book.forms if f.spec.set_id == fs.id and f.spec.id in a.forms]
                if forms:
                    out.append((a, forms))
    return out


def against_tables(ctx: Context, book: PerformanceBook, d: Disclosure) -> None:
    for link, forms in links(book, d):
        if link.projects is not None:
            _projects(ctx, link, forms, d)
        if link.department:
            _department(ctx, link, forms, d, book)
        if link.sum is not None:
            _sum(ctx, link, forms, d)


def _wan(table: Table, value: Decimal) -> Decimal:
    return value / TEN_THOUSAND if table.unit == "元" else value


def _has(table: Table, column: str) -> bool:
    return column in table.columns and column not in table.absent_columns and column not in table.missing_columns


# --------------------------------------------------------------------------- projects
def _projects(ctx: Context, link: Against, forms: list[Form], d: Disclosure) -> None:
    assert link.projects is not None
    p = link.projects
    table = d.tables.get(p.table)
    if table is None:
        for form in forms:
            ctx.blocked[(form.label, rule("perf-money").name)].add(f"{p.table}（公开表中没有这张表）")
        return
    rows = [r for r in table.rows if r.kind == ITEM]
    pairs, unmatched = match_projects(forms, rows)
    for form, row in pairs:
        if name_key(form.name) != name_key(row.label):
            ctx.findings.append(finding("warning", "perf-name", "differs", (form.label,),
                                        [c for c in (form.where("project"), row.cell("label")) if c],
                                        form=form.label, table=p.table, other=row.label, cell=row.cell("label")))
        for field, columns in ((("total", (p.total,)),) + p.fields):
            _project_check(ctx, form, row, table, field, columns)
    for form in unmatched:
        unit = f"单位 {form.unit_code} " if form.unit_code else ""
        ctx.findings.append(finding("warning", "perf-unmatched", "no_row", (form.label,),
                                    [c for c in [form.where("project")] if c], form=form.label, table=p.table, unit=unit))
    matched = {id(row) for _, row in pairs}
    codes = {f.unit_code for f in forms}
    for row in rows:
        if id(row) in matched or not row.amount(p.total) or (row.unit not in codes and codes != {""}):
            continue
        ctx.findings.append(finding("warning", "perf-unmatched", "no_form", (p.table,), [c for c in [row.cell("label")] if c],
                                    table=p.table, unit=f"单位 {row.unit} " if row.unit else "", name=row.label,
                                    amount=fmt(row.amount(p.total))))


def match_projects(forms: list[Form], rows: list[Row]) -> tuple[list[tuple[Form, Row]], list[Form]]:
    """Each project form with its row: same unit (when both say), the same name first, then the most
    alike names, best pairs first (two projects of nearly the same name each find their own)."""
    def same_unit(f: Form, r: Row) -> bool:
        return not f.unit_code or not r.unit or f.unit_code == r.unit

    pairs: list[tuple[Form, Row]] = []
    free_rows = list(rows)
    free_forms = []
    for f in forms:
        row = next((r for r in free_rows if same_unit(f, r) and name_key(r.label) == name_key(f.name)), None)
        if row is None:
            free_forms.append(f)
        else:
            pairs.append((f, row))
            free_rows.remove(row)
    scored = sorted(((SequenceMatcher(None, name_key(f.name), name_key(r.label)).ratio(), i, j)
                     for i, f in enumerate(free_forms) for j, r in enumerate(free_rows) if same_unit(f, r)),
                    reverse=True)
    used_f: set[int] = set()
    used_r: set[int] = set()
    for ratio, i, j in scored:
        if ratio < SIMILAR or i in used_f or j in used_r:
            continue
        used_f.add(i)
        used_r.add(j)
        pairs.append((free_forms[i], free_rows[j]))
    return pairs, [f for i, f in enumerate(free_forms) if i not in used_f]


def _project_check(ctx: Context, form: Form, row: Row, table: Table, field: str, columns: tuple[str, ...]) -> None:
    v = form.fields.get(field)
    if v is None or (v.number is None and v.text):
        return
    present = [c for c in columns if _has(table, c)]
    if len(present) < len(columns):
        lacking = "、".join(table.column_label(c) for c in columns if c not in present)
        ctx.blocked[(table.code, rule("perf-money").name)].add(f"“{lacking}”列（各项目的{form.spec.field_label(field)}）")
        return
    raw = sum((row.amount(c) for c in present), ZERO)
    side = [Term(_wan(table, row.amount(c)), row.cell(c), f"{table.code}「{row.label}」{table.column_label(c)}",
                 blamable=False) for c in present]
    what = form.spec.field_label(field)
    check = Check(rule("perf-money").name, f"{what}等于{table.code}中该项目的{'、'.join(table.column_label(c) for c in present)}",
                  "error", form.label, [Term(v.number or ZERO, v.where, what)], side, "=", "万元", HALF, HALF)
    shown_raw = f"{' + '.join(table.column_label(c) for c in present)} = {fmt(raw)} {table.unit}"

    def message(c: Check) -> str:
        left, right = c.sides()
        kind = "rounding" if c.status == "rounding" else "differs"
        return text("perf-money", kind, form=form.label, what=what, stated=fmt(left), expected=fmt(_round(right)),
                    raw=shown_raw, table=table.code, difference=fmt(left - _round(right)))

    check.message = message
    ctx.checks.append(check)


def _round(value: Decimal) -> Decimal:
    return round_half_up(value)


# --------------------------------------------------------------------------- 部门整体
def _department(ctx: Context, link: Against, forms: list[Form], d: Disclosure, book: PerformanceBook) -> None:
    candidates = _owners(d)
    for form in forms:
        owner = _owner(form, candidates, link, d, several=len(forms) > 1)
        if owner is None:
            ctx.blocked[(form.label, rule("perf-dept").name)].add(f"公开表中名为“{form.name}”的部门或单位")
            continue
        code, who = owner
        for field, options in link.department:
            v = form.fields.get(field)
            if v is None or (v.number is None and v.text):
                continue
            found = next(((o, terms) for o in options if (terms := _terms_for(d, o, code)) is not None), None)
            what = form.spec.field_label(field)
            if found is None:
                tables = "、".join(dict.fromkeys(t for o in options for _, t, _ in o))
                ctx.blocked[("公开表", rule("perf-dept").name)].add(f"{tables}（部门整体的{what}）")
                continue
            option, terms = found
            source = " + ".join(f"{t}{d.tables[t].column_label(c)}" for _, t, c in option)
            check = Check(rule("perf-dept").name, f"{what}等于公开表中{who}的{source}", "error", form.label,
                          [Term(v.number or ZERO, v.where, what)], terms, "=", "万元", HALF, TWO_ROUNDED)

            def message(c: Check, what: str = what, who: str = who, source: str = source, label: str = form.label) -> str:
                left, right = c.sides()
                kind = "rounding" if c.status == "rounding" else "differs"
                return text("perf-dept", kind, form=label, what=what, stated=fmt(left), who=who,
                            expected=fmt(_round(right)), source=source, raw=fmt(right * TEN_THOUSAND),
                            difference=fmt(left - _round(right)))

            check.message = message
            ctx.checks.append(check)


def _owners(d: Disclosure) -> list[tuple[str, str, str]]:
    """(code, name, kind) of the department and its units, as the tables name them."""
    seen: dict[str, tuple[str, str, str]] = {}
    for table in d.tables.values():
        for row in table.rows:
            if row.kind in (DEPT, UNIT) and row.code and row.code not in seen:
                name = row.name or row.label.split("-", 1)[-1]
                seen[row.code] = (row.code, name, row.kind)
    return list(seen.values())


def _owner(form: Form, candidates: list[tuple[str, str, str]], link: Against, d: Disclosure,
           several: bool) -> tuple[str, str] | None:
    """The department or unit a 部门整体 form is about: by name (the department's own name also names
    its 本级 unit); of several, the one whose figures agree, else the unit when the workbook has a
    form per unit, else the department."""
    want = _bare(form.name)
    named = [c for c in candidates if _bare(c[1]) == want]
    if not named:
        return None
    total = next((o for f, o in link.department if f == "total"), ())
    value = form.number("total")
    for code, name, kind in named:
        for option in total:
            terms = _terms_for(d, option, code)
            if terms is not None and value is not None and abs(value - sum((t.value * t.sign for t in terms), ZERO)) <= TWO_ROUNDED:
                return code, _who(code, name, kind)
    pick = next((c for c in named if c[2] == (UNIT if several else DEPT)), named[0])
    return pick[0], _who(*pick)


def _who(code: str, name: str, kind: str) -> str:
    return f"{'单位' if kind == UNIT else '部门'} {code} {name}"


def _bare(name: str) -> str:
    return name_key(name).replace("本级", "")


def _terms_for(d: Disclosure, option: tuple[tuple[int, str, str], ...], code: str) -> list[Term] | None:
    out = []
    for sign, table_code, column in option:
        table = d.tables.get(table_code)
        if table is None or not _has(table, column):
            return None
        row = table.row(code)
        if row is None and _is_department(d, code):
            row = table.row(TOTAL_KEY)      # a table without a department row: its 合计 is the department's
        if row is not None:
            out.append(Term(_wan(table, row.amount(column)), row.cell(column), f"{table.code}「{row.label}」{table.column_label(column)}",
                            sign, blamable=False))
            continue
        items = [r for r in table.rows if r.kind == ITEM and r.unit == code]
        if not items:
            return None
        out += [Term(_wan(table, r.amount(column)), r.cell(column), f"{table.code}「{r.label}」", sign, blamable=False)
                for r in items]
    return out


def _is_department(d: Disclosure, code: str) -> bool:
    return any(r.kind == DEPT and r.code == code for t in d.tables.values() for r in t.rows)


# --------------------------------------------------------------------------- Σ over the forms
def _sum(ctx: Context, link: Against, forms: list[Form], d: Disclosure) -> None:
    s = link.sum
    assert s is not None
    table = d.tables.get(s.table)
    values = [f.fields[s.field] for f in forms if s.field in f.fields and f.fields[s.field].number is not None]
    if not values:
        return
    row = table.row(s.row) if table is not None else None
    if table is None or row is None or not _has(table, s.column):
        ctx.blocked[(forms[0].label, rule("perf-sum").name)].add(f"{s.table}的{s.row}行")
        return
    what = forms[0].spec.field_label(s.field)
    kind = forms[0].title
    left = [Term(v.number or ZERO, v.where, f"{f.label}的{what}", blamable=False) for f, v in zip(forms, values)]
    right = [Term(_wan(table, row.amount(s.column)), row.cell(s.column), f"{table.code}{table.column_label(s.column)}",
                  blamable=False)]
    check = Check(rule("perf-sum").name, f"各{kind}的{what}之和等于{table.code}{table.column_label(s.column)}", s.level,
                  forms[0].label, left, right, "=", "万元", ZERO if table.unit == "万元" else HALF,
                  rounding_envelope(len(left) + (1 if table.unit == "万元" else 0)))
    source = f"{table.code}「{row.label}」{table.column_label(s.column)}"

    def message(c: Check) -> str:
        lsum, rsum = c.sides()
        kind_ = "rounding" if c.status == "rounding" else "differs"
        return text("perf-sum", kind_, count=len(left), forms=kind, what=what, stated=fmt(lsum), source=source,
                    expected=fmt(_round(rsum)), difference=fmt(lsum - _round(rsum)))

    check.message = message
    ctx.checks.append(check)

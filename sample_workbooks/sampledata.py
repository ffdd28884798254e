"""Data of the sample workbooks: TSV tables, meta.yaml, corrections.yaml.

Layout of `data/<workbook-id>/`:

- `meta.yaml`: template id, `file` (the output path under sample_workbooks/, one folder per
  department: 住建局/2024_部门预算_更正版.xlsx), department, year, cover lines, and per table its
  sheet name, title and the notes printed under it. A workbook may name a `base:` workbook; it then starts from the
  base's tables and meta, and `corrections.yaml` lists what changes (cell by cell, with the
  published value, the corrected value and why).
- `<table code>.tsv`: first line = the table's layout column ids (`budget_xl.layout.layout_columns`,
  in that order; an optional column the table does not print is left out), then one line per printed
  row, values exactly as printed ("72,511,453.98", "" for a blank cell). Tab-separated, no quoting.

Amounts are handled as `decimal.Decimal`, never as floats.
"""
from __future__ import annotations

import copy
import sys
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
if str(ROOT.parent) not in sys.path:
    sys.path.insert(0, str(ROOT.parent))

import yaml  # noqa: E402

from budget_xl.layout import layout_columns  # noqa: E402
from budget_xl.templates import TableSpec, get_template  # noqa: E402

CENT = Decimal("0.01")


# --------------------------------------------------------------------------- amounts
def parse_amount(text: str) -> Decimal | None:
    """'72,511,453.98' -> Decimal('72511453.98'); '' -> None."""
    text = text.strip()
    if not text:
        return None
    return Decimal(text.replace(",", ""))


def format_amount(value: Decimal | None, blank_zero: bool = False) -> str:
    """Decimal -> '72,511,453.98' (2 decimals, half up); None (or 0 with blank_zero) -> ''."""
    if value is None or (blank_zero and value == 0):
        return ""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def to_wan(value: Decimal) -> Decimal:
    """元 -> 万元, rounded half up to 2 decimals."""
    return (value / 10000).quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- TSV
def read_tsv(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    columns = lines[0].split("\t")
    rows = [line.split("\t") for line in lines[1:]]
    for i, row in enumerate(rows, 1):
        if len(row) != len(columns):
            raise ValueError(f"{path}: data line {i} has {len(row)} cells, header has {len(columns)}")
    return columns, rows


def write_tsv(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    for row in rows:
        assert len(row) == len(columns), (path, row)
        assert not any("\t" in c or "\n" in c for c in row), (path, row)
    text = "\t".join(columns) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- workbook data
@dataclass
class TableData:
    code: str
    columns: list[str]
    rows: list[list[str]]
    title: str
    sheet: str
    notes: list[str] = field(default_factory=list)

    def col(self, cid: str) -> int:
        return self.columns.index(cid)


@dataclass
class WorkbookData:
    id: str
    meta: dict
    template: object  # budget_xl.templates.TemplateSet
    tables: dict[str, TableData]  # in template order; tables without data are absent
    corrections: list[dict] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.meta["file"]

    def spec(self, code: str) -> TableSpec:
        return self.template.tables[code]


def workbook_ids() -> list[str]:
    return sorted(p.name for p in DATA.iterdir() if (p / "meta.yaml").is_file())


def _merge_meta(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if key == "tables":
            tables = out.setdefault("tables", {})
            for code, tmeta in (value or {}).items():
                tables[code] = {**tables.get(code, {}), **(tmeta or {})}
        elif key != "base":
            out[key] = copy.deepcopy(value)
    return out


def load(wid: str) -> WorkbookData:
    """The tables of one workbook: its own TSVs, or its base's tables with corrections applied."""
    folder = DATA / wid
    meta = yaml.safe_load((folder / "meta.yaml").read_text(encoding="utf-8"))
    corrections: list[dict] = []
    if meta.get("base"):
        base = load(meta["base"])
        meta = _merge_meta(base.meta, meta)
        tables = {c: copy.deepcopy(t) for c, t in base.tables.items()}
    else:
        tables = {}
    template = get_template(meta["template"])
    tmetas = meta.get("tables") or {}
    for tsv in folder.glob("*.tsv"):
        if tsv.name == meta.get("lines"):
            continue   # the 明细 of a line-item workbook (build.py writes it as is), not a table
        code = tsv.stem
        if code not in template.tables:
            raise ValueError(f"{tsv}: {code} is not a table of template {template.id}")
        columns, rows = read_tsv(tsv)
        tables[code] = TableData(code=code, columns=columns, rows=rows, title="", sheet="")
    corr_file = folder / "corrections.yaml"
    if corr_file.is_file():
        corrections = yaml.safe_load(corr_file.read_text(encoding="utf-8")) or []
        for corr in corrections:
            apply_correction(tables, template, corr)
    ordered: dict[str, TableData] = {}
    for code, spec in template.tables.items():
        if code not in tables:
            continue
        t = tables[code]
        tmeta = tmetas.get(code) or {}
        t.title = tmeta.get("title") or spec.title
        t.sheet = tmeta.get("sheet") or code
        t.notes = list(tmeta.get("notes") or [])
        _check_columns(t, spec, wid)
        ordered[code] = t
    return WorkbookData(id=wid, meta=meta, template=template, tables=ordered, corrections=corrections)


def _check_columns(t: TableData, spec: TableSpec, wid: str) -> None:
    layout = list(layout_columns(spec))
    ids = [c.id for c in layout]
    # the TSV header must be the layout ids in order, optional columns possibly left out
    it = iter(range(len(layout)))
    for cid in t.columns:
        for i in it:
            if ids[i] == cid:
                break
            if not layout[i].optional:
                raise ValueError(f"{wid}/{t.code}: column {ids[i]} is missing from the TSV header")
        else:
            raise ValueError(f"{wid}/{t.code}: column {cid} is not in layout order {ids}")
    for i in it:
        if not layout[i].optional:
            raise ValueError(f"{wid}/{t.code}: column {ids[i]} is missing from the TSV header")


def present_spec(spec: TableSpec, columns: list[str]) -> TableSpec:
    """The template's table with only the columns a TSV has (optional columns may be absent)."""

    present = set(columns)
    panels = tuple(p._replace(columns=tuple(c for c in p.columns if c.id in present)) for p in spec.panels)
    return spec._replace(panels=panels)


def apply_correction(tables: dict[str, TableData], template, corr: dict) -> None:
    """Apply one entry of corrections.yaml. Kinds:

    - cell: {table, line, row, column, published, corrected, why} — `line` is the 1-based data line
      of the TSV, `row` the label printed in it (checked), `published` must match the current value.
    - add_column: {table, add_column, why} — insert an (optional) template column, blank.
    - add_table: {table, file, why} — the table comes from `file` (a TSV in the workbook folder).
    - note: {table, add_note, why} — handled by meta (listed here for the record only).
    """
    code = corr["table"]
    if "add_table" in corr or "add_note" in corr:
        return
    t = tables[code]
    if "add_column" in corr:
        cid = corr["add_column"]
        order = [c.id for c in layout_columns(template.tables[code])]
        pos = 0
        for i, existing in enumerate(t.columns):
            if order.index(existing) < order.index(cid):
                pos = i + 1
        t.columns.insert(pos, cid)
        for row in t.rows:
            row.insert(pos, "")
        return
    line, column = corr["line"], corr["column"]
    row = t.rows[line - 1]
    label = str(corr["row"])
    if label not in row:
        raise ValueError(f"correction {code} line {line}: row label {label!r} not in {row}")
    ci = t.col(column)
    published = "" if corr.get("published") is None else str(corr["published"])
    if row[ci] != published:
        raise ValueError(f"correction {code} line {line} {column}: published {published!r}, data has {row[ci]!r}")
    row[ci] = "" if corr.get("corrected") is None else str(corr["corrected"])


# --------------------------------------------------------------------------- row keys
def row_keys(template, table: TableData) -> list[tuple]:
    """Keys of the rows of a 部门预算 units/classified table, in order: ('total',), ('dept', code),
    ('unit', code), ('row', unit code, 科目 code). Labels are "代码-名称" (or "代码 名称")."""
    import re

    from budget_xl.text import norm

    li = table.col("label")
    keys, unit = [], None
    for row in table.rows:
        label = row[li]
        m = re.match(r"^(\d+)(?:[-\s]|$)", label)
        if not m:
            if norm(label) in template.total_names:
                keys.append(("total",))
                continue
            raise ValueError(f"{table.code}: row without code: {row}")
        code = m.group(1)
        if len(code) == 6:
            unit = code
            keys.append(("unit", code))
        elif unit is None and len(code) == 3:
            keys.append(("dept", code))
        else:
            keys.append(("row", unit, code))
    return keys

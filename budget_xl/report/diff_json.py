"""`budget-xl diff --format json`: the whole comparison for pipelines (schema in README).
Amounts are exact decimal strings in the comparison's unit; rates are percents with two decimals."""
from __future__ import annotations

import json
from decimal import Decimal

from ..diff.compare import Comparison, Line, Side
from ..money import json_amount, round_half_up


def _rate(rate: Decimal | None) -> str | None:
    return None if rate is None else format(round_half_up(rate), "f")


def _side(side: Side, label: str) -> dict:
    d, r = side.disclosure, side.report
    return {"file": str(d.path), "label": label, "year": d.year, "kind": d.kind, "department": d.department,
            "template": d.template.id,
            "check": {"errors": r.errors, "warnings": r.count("warning"),
                      "findings": [{"rule": f.rule, "message": f.message, "cells": [str(c) for c in f.cells]}
                                   for f in r.findings if f.level == "error"]}}


def _line(line: Line) -> dict:
    return {"table": line.table, "key": line.key, "label": line.label, "level": line.level, "unit": line.unit_code,
            "column": line.column, "column_label": line.column_label, "before": json_amount(line.before),
            "after": json_amount(line.after), "change": json_amount(line.change), "rate": _rate(line.rate), "status": line.status,
            "flag": line.flag or None, "note": line.note or None, "old_key": line.old_key}


def diff_json(c: Comparison) -> str:
    o = c.options
    data = {
        "mode": c.mode,
        "before": _side(c.before, c.labels[0]),
        "after": _side(c.after, c.labels[1]),
        "unit": c.unit,
        "rule": {"threshold": json_amount(o.threshold), "amount": json_amount(o.amount), "band": [json_amount(b) for b in o.band]},
        "warnings": c.warnings,
        "tables": [{
            "code": t.code, "title": t.title, "unit": t.unit,
            "columns": [{"id": cid, "label": label} for cid, label in t.columns],
            "counts": dict(t.counts), "flagged": len(t.flagged), "flagged_rows": t.flagged_rows, "notes": t.notes,
            "total": _line(t.total) if t.total else None,
            "lines": [_line(line) for line in t.lines],
            "sangong": [_line(line) for line in t.sangong],
        } for t in c.tables],
        "flagged": [{**_line(line), "also": [{"table": a.table, "key": a.key, "column": a.column} for a in also]}
                    for line, also in c.distinct_flagged()],
        "sections": [{
            "id": s.id, "title": s.title, "unit": s.unit, "budget": s.sources[0], "final": s.sources[1],
            "notes": s.notes,
            "lines": [{"key": ln.key, "label": ln.label, "level": ln.level, "budget": json_amount(ln.budget),
                       "final": json_amount(ln.final), "difference": json_amount(ln.difference),
                       "completion": _rate(ln.completion), "flag": ln.flag or None} for ln in s.lines],
        } for s in c.sections],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

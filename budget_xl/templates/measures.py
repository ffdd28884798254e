"""Reading what a template says about measures other than plain amounts: the printed precision of
amounts (`decimals`: whole 万元 tables carry 尾数误差 of half a 万元 per amount) and percentage
columns (`role: percent` with `percent: {of: …, over: …}`: 增长%, 增减率, 完成预算%)."""
from __future__ import annotations

import re

from .checker import Checker


class MeasureChecker(Checker):
    decimals = 2   # the set's `decimals` (a table built on its own, by drafting, prints cents)

    def decimal_places(self, value, key: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2:
            self.fail(f"{key} 应为 0、1 或 2（金额印到小数点后几位），实际是 “{value}”")
        return value

    def percent_parts(self, raw: dict, cid: str, role: str):
        """(of, over, decimals) of a column: the signed amount columns a percentage is of and over
        (empty for other columns) and the decimals `fill` writes it with (None: not given)."""
        of: tuple[tuple[int, str], ...] = ()
        over: tuple[tuple[int, str], ...] = ()
        if role == "percent":
            spec = raw.get("percent")
            if not isinstance(spec, dict) or set(spec) != {"of", "over"}:
                self.fail(f"百分比列 {cid} 应写 percent: {{of: 分子, over: 分母}}（如 of: current - prior, over: prior）")
            of, over = self.signed_columns(spec["of"], cid), self.signed_columns(spec["over"], cid)
        elif "percent" in raw:
            self.fail(f"列 {cid} 不是百分比列（role: percent），不能写 percent")
        decimals = None if raw.get("decimals") is None else self.decimal_places(raw["decimals"], f"列 {cid} 的 decimals")
        return of, over, decimals

    def signed_columns(self, text, cid: str) -> tuple[tuple[int, str], ...]:
        """'current - prior' → ((1, 'current'), (-1, 'prior')); that they are amount columns of the
        table is checked with the table (builder.validate_table)."""
        terms = tuple((-1 if sign == "-" else 1, name)
                      for sign, name in re.findall(r"([+-]?)\s*([A-Za-z_]\w*)", str(text)))
        if not terms or re.sub(r"[+\-\s]|[A-Za-z_]\w*", "", str(text)):
            self.fail(f"百分比列 {cid} 的 “{text}” 应为金额列 id 的加减（如 current - prior）")
        return terms

"""Checking the data of a template file item by item: every problem is one Chinese sentence
naming the file and the place (“模板 部门预算-辽宁.yaml（表 附表4）：…”). Shared by the table-set,
narrative and document templates, so they all report mistakes the same way."""
from __future__ import annotations

import re
from typing import Any, NoReturn

from ..errors import TemplateError
from .spec import Ref, Term

_TYPE_NAMES = {str: "文字", list: "列表", dict: "键值表", int: "整数"}


class Checker:
    """Reads values out of a template's YAML data, failing with the file and the current place."""

    def __init__(self, filename: str, what: str = "模板"):
        self.filename = filename
        self.what = what      # 模板 / 情况说明模板 / 全文结构文件: how the message names the file
        self.where = ""       # the item being read, e.g. “表 附表4”

    def fail(self, message: str) -> NoReturn:
        where = f"（{self.where}）" if self.where else ""
        raise TemplateError(f"{self.what} {self.filename}{where}：{message}")

    # -- helpers
    def need(self, mapping: Any, key: str, typ: type = str) -> Any:
        if not isinstance(mapping, dict):
            self.fail(f"应为键值表，实际是 {type(mapping).__name__}")
        if key not in mapping:
            self.fail(f"缺少必填项 “{key}”")
        value = mapping[key]
        if typ is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, typ):
            self.fail(f"“{key}” 应为 {_TYPE_NAMES.get(typ, typ.__name__)}")
        return value

    def strings(self, value, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, (str, int)):
            return (str(value),)
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.fail(f"“{key}” 应为文字列表")
        return tuple(str(v) for v in value)

    def check_keys(self, mapping: dict, allowed: set[str]) -> None:
        unknown = set(mapping) - allowed
        if unknown:
            self.fail(f"未知的项 {', '.join(sorted(map(str, unknown)))}（允许：{', '.join(sorted(allowed))}）")

    _TOKEN = re.compile(r"\s*(?:(?P<op><=|>=|=)|(?P<sign>[+-])|(?P<ref>[^\s.+\-=<>\[\]]+\.[\w{}]+\[[^\]]+\])"
                        r"|(?P<num>\d+(?:\.\d+)?))")

    def parse_expr(self, expr: str):
        """'A.x[r] + B.y[s] = C.z[t]' -> (left terms, op, right terms)."""
        sides: list[list[Term]] = [[]]
        op, sign, expect_term, pos = None, 1, True, 0
        while expr[pos:].strip():
            m = self._TOKEN.match(expr, pos)
            if not m:
                self.fail(f"公式无法解析（第 {pos + 1} 个字符起）：{expr}")
            pos = m.end()
            if m.group("op"):
                if op is not None or expect_term:
                    self.fail(f"公式中比较符位置不对：{expr}")
                op, expect_term = m.group("op"), True
                sides.append([])
            elif m.group("sign"):
                sign = -sign if m.group("sign") == "-" else sign
                expect_term = True
            else:
                if not expect_term:
                    self.fail(f"公式中两项之间缺少 + 或 -：{expr}")
                if m.group("ref"):
                    table, rest = m.group("ref").split(".", 1)
                    column, row = rest[:-1].split("[", 1)
                    sides[-1].append(Term(sign=sign, ref=Ref(table=table, column=column, row=row.strip())))
                else:
                    sides[-1].append(Term(sign=sign, number=m.group("num")))
                sign, expect_term = 1, False
        if op is None or expect_term or not sides[0]:
            self.fail(f"公式应为 “左边 = 右边”（或 <=、>=）：{expr}")
        return tuple(sides[0]), op, tuple(sides[1])



"""The values of a table row's cells: exact amounts and printed percentages, each cell that holds
no valid one noted where it is (text in a number cell, an infinity or absurd magnitude, a formula
saved without its value)."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ..model import CellRef
from ..money import LIMIT_FLOAT, AmountOutOfRange, NotANumber, parse_amount
from ..percent import MAX_DIGITS, NotAPercent, Percent, PercentOutOfRange, parse_percent
from ..text import display
from .workbook import Sheet

if TYPE_CHECKING:  # pragma: no cover
    from .rows import RowPlan


class CellReader:
    """Mixed into the TableBuilder: `note` records a finding; `counted` is how many cells the row read."""
    counted: int

    def note(self, level: str, message: str, cell: CellRef | None = None) -> None:
        raise NotImplementedError

    def read_amounts(self, sheet: Sheet, r: int, line: list, plan: RowPlan) -> tuple[dict[str, Decimal | None], int]:
        """Column id -> amount of one grid row and panel (None for a blank cell), and how many amounts
        it has; a text that is no amount, or a formula without its value, is noted.

        Runs for every amount cell: typed numbers and empty cells take the short paths, and a number
        equal to the one before it in the row (合计 = 小计 = 一般公共预算 on most rows) reuses its
        Decimal (immutable, so safe to share)."""
        amounts: dict[str, Decimal | None] = {}
        width = len(line)
        last_float, last_amount = None, None
        found = 0
        for cid, c in plan.amounts:
            value = line[c] if c < width else None
            if value.__class__ is float:
                # Not for zero: -0.0 equals 0.0 but reads as -0.00.
                if value == last_float and value:
                    amount = last_amount
                elif -LIMIT_FLOAT < value < LIMIT_FLOAT:
                    text = f"{value:.2f}"  # parse_amount's fast path, inline
                    amount = Decimal(text) if float(text) == value else parse_amount(value)
                    last_float, last_amount = value, amount
                else:  # an infinity, a NaN or an absurd magnitude
                    amounts[cid] = None
                    self.out_of_range(format(value, "g"), CellRef(sheet.name, r, c))
                    continue
                found += 1
            elif value == "" or value is None:
                amount = None
                if sheet.uncached and (r, c) in sheet.uncached:
                    self.note("error", "公式没有保存计算结果，读不到金额：请在 Excel/WPS 中打开该文件、保存后再读",
                              CellRef(sheet.name, r, c))
            else:
                try:
                    amount = parse_amount(value)
                except AmountOutOfRange as exc:
                    amount = None
                    self.out_of_range(exc.text, CellRef(sheet.name, r, c))
                except NotANumber as exc:
                    amount = None
                    self.note("error", f"金额单元格里是文字“{display(exc.text)[:60]}”，不是数字", CellRef(sheet.name, r, c))
                found += amount is not None
            amounts[cid] = amount
        self.counted = found
        return amounts, found

    def read_percents(self, sheet: Sheet, r: int, line: list, plan: RowPlan) -> dict[str, Percent]:
        """The percentage cells of a grid row (增长%: "12.3%", "(3.2)", "—", or a number), as printed; a
        text that is no percentage is noted at its cell. Read cells count with the amounts read."""
        out: dict[str, Percent] = {}
        width = len(line)
        for cid, c in plan.percents:
            value = line[c] if c < width else None
            try:
                pct = parse_percent(value)
            except PercentOutOfRange as exc:
                self.note("error", f"百分比超出范围（{_short(exc.text)}）：不是有效的百分比（无穷大、非数字、绝对值达到 10^12 "
                          f"或超过 {MAX_DIGITS} 位数字），未读入", CellRef(sheet.name, r, c))
                continue
            except NotAPercent as exc:
                self.note("error", f"百分比单元格里是文字“{display(exc.text)}”，不是百分比", CellRef(sheet.name, r, c))
                continue
            if pct is not None:
                out[cid] = pct
                self.counted += 1
        return out

    def out_of_range(self, text: str, cell: CellRef) -> None:
        self.note("error", f"金额超出范围（{_short(text)}）：不是有效的金额（无穷大、非数字或绝对值达到 10^15），未读入", cell)


def _short(text: str) -> str:
    shown = display(text)
    return shown if len(shown) <= 24 else shown[:12] + "…" + shown[-6:]

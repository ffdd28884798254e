"""Pages of a printed table whose rows belong to units (附表3, 4, 5, 7, 8 …): a page that continues a
unit starts with that unit's row again, “145001-…（续）”, so no page of 科目 rows leaves the reader
guessing whose they are.

Where the pages break is worked out here, not left to the spreadsheet: manual row breaks, placed for
the rows a page holds at full size (15 pt rows, wrapped names taller; A4 landscape with publish.py's
margins), with some room to spare, so a page never holds more rows than it can print.
"""
from __future__ import annotations

PRINT_HEIGHT_PT = (210 - 2 * 15.24) / 25.4 * 72      # 0.6 in top and bottom (the footer sits in the margin)
ROW_PT, LINE_PT = 15.0, 13.5                        # a row; each further line of wrapped text
HEADER_ROW_PT = 20.0                                # a header row (its text may wrap)
SPARE = 0.96                                        # rows measured a little generously
CONTINUED = "（续）"


class Pager:
    """Decides where pages break as rows are written; `heading_pt` is the title block above the
    header (first page only), `header_pt` the header rows repeated on every page."""

    def __init__(self, heading_pt: float, header_pt: float):
        # Pages are counted at full size: fitted to the page's width the table prints at that scale
        # or smaller (more rows to a page), so a page laid out here never runs over.
        page = PRINT_HEIGHT_PT * SPARE
        self.room = page - header_pt
        self.left = self.room - heading_pt
        self.breaks: list[int] = []

    def fits(self, height: float) -> bool:
        return height <= self.left

    def new_page(self, row: int) -> None:
        """A page starts at grid row `row`."""
        self.breaks.append(row)
        self.left = self.room

    def take(self, height: float) -> None:
        self.left -= height


def row_height(lines: int) -> float:
    return ROW_PT + LINE_PT * (lines - 1)

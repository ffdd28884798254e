"""Print set-up shared by every sheet a clerk may print that is not a published table (the 明细, 说明
and 补充信息 sheets of `init`, the sheets of the diff workbook): A4 landscape, one page wide (long text
wraps in its column instead of shrinking the page), the header rows on every page, page numbers."""
from __future__ import annotations


def landscape_sheet(ws, header_first: int | None, header_last: int | None, *, portrait: bool = False) -> None:
    """A4, one page wide and as many pages down as it takes; `header_first`..`header_last` (0-based
    rows, None for none) repeat at the top of each page."""
    if portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    if header_first is not None and header_last is not None:
        ws.repeat_rows(header_first, header_last)

"""Parsing an .xls or .ods once in a forked child under a memory ceiling before the real read.

python-calamine builds each sheet as a full rectangle up to its last value, and a binary .xls
record (or an .ods row repeated a million times) can name any cell: the allocation then fails and
the process aborts, which no `except` can catch. The child measures every sheet's used range and
reports it; if it dies instead (abort, memory ceiling, crash on a damaged file), only the child is
lost and the workbook is refused in one sentence. The .xlsx guard (guard.py) reads the XML itself
and needs no child. Where fork is not available (Windows) the probe is skipped.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .guard import Limits, damaged, too_large

CEILING = 640 << 20    # address space the child may add to what it already has (with the parent, well within 1 GB)


def probe(path: Path, limits: Limits) -> None:
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        os.close(read_end)
        try:
            # What a native library prints as it fails (a Rust panic, "memory allocation of … failed")
            # is English and not for the user: the parent says what happened.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            answer = _measure(path, limits)
        except BaseException:   # python-calamine's PanicException is a BaseException
            answer = b"error"
        try:
            os.write(write_end, answer)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 4096):
        chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    answer = b"".join(chunks)
    if os.WIFSIGNALED(status) or not answer or answer == b"error":
        raise damaged(path, "在解析时出错（文件已损坏，或数据区域大得异常）")
    if answer.startswith(b"big "):
        sheet, rows, cols = answer[4:].decode("utf-8", "replace").rsplit(" ", 2)
        raise too_large(path, f"的工作表“{sheet}”数据区域到第 {int(rows):,} 行、第 {int(cols):,} 列"
                              f"（合计超过 {limits.max_cells:,} 个单元格）", "BUDGET_XL_MAX_CELLS")
    # "ok": the real read follows


def _measure(path: Path, limits: Limits) -> bytes:
    import resource

    import python_calamine as pc

    try:
        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = size + CEILING if hard == resource.RLIM_INFINITY else min(size + CEILING, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (OSError, ValueError):
        pass   # no ceiling then: the used range is still measured before the real read
    wb = pc.CalamineWorkbook.from_path(str(path))
    cells = 0
    for meta in wb.sheets_metadata:
        sheet = wb.get_sheet_by_name(meta.name)
        end = sheet.end
        rows, cols = (end[0] + 1, end[1] + 1) if end else (0, 0)
        cells += rows * cols
        if cells > limits.max_cells:
            return f"big {meta.name} {rows} {cols}".encode()
    return b"ok"

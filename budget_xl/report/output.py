"""Writing output files safely: never over the input, never over an existing file without
--force, never a half-written file (write to a temporary file beside it, then rename)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError


@contextmanager
def atomic_output(target: Path, *, source: Path | Iterable[Path] | None = None, force: bool = False) -> Iterator[Path]:
    """`source`: the input file(s), never to be written over."""
    target = Path(target)
    sources = [source] if isinstance(source, (str, Path)) else list(source or ())
    if target.exists() and any(target.resolve() == Path(s).resolve() for s in sources):
        raise InputError(f"输出文件 {target} 就是输入文件：budget-xl 从不改写输入，请换一个输出文件名。")
    if target.exists() and not force:
        raise InputError(f"输出文件 {target} 已存在：如要覆盖，请加 --force。")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"输出目录 {folder} 不存在：请先创建它。")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.stem}.", suffix=target.suffix)
    except OSError as exc:
        raise InputError(f"无法在 {folder} 中写文件（{exc.strerror}）：请检查目录权限。") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

"""Writing output files safely: never over the input, never over an existing file without
--force, never a half-written file (write to a temporary file beside it, then rename)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from ..files import is_dir, os_reason, printable


@contextmanager
def atomic_output(target: Path, *, source: Path | Iterable[Path] | None = None, force: bool = False) -> Iterator[Path]:
    """`source`: the input file(s), never to be written over."""
    target = Path(target)
    sources = [source] if isinstance(source, (str, Path)) else list(source or ())
    _may_write(target, sources, force)
    folder = target.parent if str(target.parent) else Path(".")
    if not is_dir(folder):
        raise InputError(f"输出目录 {printable(str(folder))} 不存在：请先创建它。")
    try:  # a short name of its own: the target's may already be as long as a name can be
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".budget-xl-", suffix=target.suffix[:16])
    except OSError as exc:
        raise InputError(f"无法在 {printable(str(folder))} 中写文件（{os_reason(exc)}）：请检查目录权限。") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with _signals_deferred():
            _replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _exists(path: Path) -> bool:
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _may_write(target: Path, sources: Iterable[Path], force: bool) -> None:
    if _exists(target) and any(_same_file(target, Path(s)) for s in sources):
        raise InputError(f"输出文件 {printable(str(target))} 就是输入文件：budget-xl 从不改写输入，请换一个输出文件名。")
    if _exists(target) and not force:
        raise InputError(f"输出文件 {printable(str(target))} 已存在：如要覆盖，请加 --force。")
    if _exists(target) and is_dir(target):
        raise InputError(f"输出文件 {printable(str(target))} 是一个文件夹：请换一个输出文件名。")


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"无法写出 {printable(str(target))}（{os_reason(exc)}）：请检查输出位置。") from None


class Staging:
    """A set of outputs written all or nothing (`fill`: the tables, the 情况说明, the report): each is
    written into a hidden folder beside the targets, and moved into place only when every one has
    been written. On any failure or interruption the folder is removed and no target appears."""

    def __init__(self, folder: Path, targets: list[Path], *, sources: Iterable[Path] = (), force: bool = False):
        self.targets = targets
        for target in targets:   # refused before any work, as atomic_output would one by one
            _may_write(target, sources, force)
        try:
            self.folder = Path(tempfile.mkdtemp(dir=folder, prefix=".budget-xl-"))
        except OSError as exc:
            raise InputError(f"无法在 {printable(str(folder))} 中写文件（{os_reason(exc)}）：请检查目录权限。") from None
        self.force = force

    def path(self, target: Path) -> Path:
        """Where to write `target` for now."""
        return self.folder / target.name

    def commit(self) -> None:
        """Every staged file into place; signals wait until all are (a kill -9 still can interrupt
        the renames, which take microseconds)."""
        with _signals_deferred():
            moved: list[Path] = []
            try:
                for target in self.targets:
                    if _exists(target) and not self.force:
                        raise InputError(f"输出文件 {printable(str(target))} 已存在：如要覆盖，请加 --force。")
                    _replace(self.path(target), target)
                    moved.append(target)
            except BaseException:
                for target in moved if not self.force else ():
                    target.unlink(missing_ok=True)
                raise
            finally:
                self.discard()

    def discard(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def staged(folder: Path, targets: list[Path], *, sources: Iterable[Path] = (), force: bool = False) -> Iterator[Staging]:
    stage = Staging(folder, targets, sources=sources, force=force)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    stage.commit()


@contextmanager
def _signals_deferred() -> Iterator[None]:
    import signal

    blocked = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)

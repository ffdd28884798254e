"""From `diff A B` to two disclosures: A and B are paths, or years resolved to the workbooks of
a folder by the year, kind and department the reader finds inside each workbook (a file name
proves nothing). A workspace file `budget-xl.toml` in the folder may pin them:

    department = "145-大连市西岗区住房和城乡建设局"
    [years]
    2023 = "2023_住建局_部门预算.xlsx"
    2024 = { budget = "2024_预算.xlsx", final = "2024_决算.xlsx" }   # or "部门预算" = … (quoted)

Everything that makes the pair unusable is an InputError with one Chinese sentence: a year with
no workbook or several (the candidates listed), the same file twice, two kinds without --kind,
two departments without --force.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..classification import same_department, split_code
from ..errors import InputError
from ..model import Disclosure
from ..templates import kind_of
from ..text import norm

WORKSPACE = "budget-xl.toml"
_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass
class Pair:
    before: Disclosure
    after: Disclosure
    mode: str                                   # "years" | "versus"
    warnings: list[str] = field(default_factory=list)


def parse_kinds(text: str | None) -> tuple[str | None, str | None]:
    """--kind 部门预算 (both sides) or --kind 部门预算:部门决算 (A:B)."""
    if not text:
        return None, None
    parts = [p for p in re.split(r"[:：,，/]", text) if p.strip()]
    kinds = [kind_of(p) for p in parts]
    if not 1 <= len(parts) <= 2 or None in kinds:
        raise InputError(f"--kind “{text}” 无法识别：应为 部门预算、部门决算，或成对写作 部门预算:部门决算。")
    return (kinds[0], kinds[-1])


def resolve(a: str, b: str, *, folder: Path = Path("."), kind: str | None = None, dept: str | None = None,
            template: str | None = None, force: bool = False) -> Pair:
    kinds = parse_kinds(kind)
    ws = Workspace.load(folder)
    dept = dept or ws.department
    reader = _Reader(template)
    args = [a, b]
    sides: list[Disclosure | None] = [None, None]
    for i, arg in enumerate(args):
        if not is_year(arg):
            side = sides[i] = reader.read(Path(arg))
            if kinds[i] and side.kind != kinds[i]:
                raise InputError(f"{arg} 是{side.kind}工作簿，不是 --kind 指定的{kinds[i]}。")
            if dept and side.department and not _matches_dept(side, dept) and not force:
                raise InputError(f"{side.path.name} 是“{side.department}”的工作簿，不是所指定部门“{dept}”的："
                                 f"请检查文件或部门；确认要对比，请加 --force。")
    if is_year(a) and is_year(b) and a == b and kinds[0] == kinds[1]:
        raise InputError(f"两边都是 {a} 年{kinds[0] or ''}：对比同一年的预算与决算请加 --kind 部门预算:部门决算，"
                         f"对比同一年的两个版本请直接给出两个文件。")
    warnings: list[str] = []
    for i, arg in enumerate(args):
        if sides[i] is None:
            other = sides[1 - i]
            # Without --kind, a year takes the kind of the other side where it has a choice.
            prefer = {other.kind} if other is not None else (
                _kinds_of_year(args[1 - i], folder, ws, reader) if is_year(args[1 - i]) else set())
            sides[i] = _by_year(int(arg), kinds[i], prefer, dept, folder, ws, reader, warnings)
    before, after = sides
    assert before is not None and after is not None  # each side was read from its file or found for its year
    if before.path.resolve() == after.path.resolve():
        raise InputError(f"两边是同一个文件（{before.path}）：请给出两个不同的工作簿。")
    mode = "years"
    if before.kind != after.kind:
        if not kinds[0] and before.year != after.year:
            raise InputError(f"{before.path.name} 是 {before.year} 年{before.kind}，{after.path.name} 是 {after.year} 年"
                             f"{after.kind}：类别不同。对比预算与决算请加 --kind 部门预算:部门决算；"
                             f"逐年对比请给出同一类别的两个工作簿。")
        mode = "versus"
        if before.kind == "部门决算":
            before, after = after, before
    elif before.year and after.year and before.year > after.year:
        before, after = after, before
        warnings.append(f"按年度先后对比：{before.year} 年 → {after.year} 年。")
    warnings += _departments(before, after, force)
    return Pair(before, after, mode, warnings)


def is_year(arg: str) -> bool:
    return bool(_YEAR.fullmatch(arg.strip())) and not Path(arg).exists()


def _departments(before: Disclosure, after: Disclosure, force: bool) -> list[str]:
    same = same_department(before.department, after.department)
    if same is None:
        missing = "、".join(d.path.name for d in (before, after) if not d.department)
        return [f"{missing} 中没有写明部门，无法确认两边是同一部门。"]
    if same:
        return []
    what = f"{before.path.name}（{before.department}）与 {after.path.name}（{after.department}）不是同一个部门"
    if not force:
        raise InputError(f"{what}：确认要对比，请加 --force。")
    return [f"{what}（已按 --force 照常对比）。"]


def _matches_dept(d: Disclosure, dept: str) -> bool:
    if not d.department:
        return False
    code, name = split_code(dept)
    own_code, own_name = split_code(d.department)
    if code and own_code:
        return code == own_code
    return norm(name) in norm(own_name)


class _Reader:
    """Reads each workbook once (a folder scan and an explicit path may meet the same file)."""

    def __init__(self, template: str | None):
        self.template = template
        self.cache: dict[Path, Disclosure] = {}
        self.scanned: tuple[list[Disclosure], list[str]] | None = None

    def read(self, path: Path) -> Disclosure:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: the reader says so in its own words
            key = path.absolute()
        if key not in self.cache:
            from ..derive import complete_lines
            from ..reader import read

            self.cache[key] = complete_lines(read(path, self.template))
        return self.cache[key]

    def scan(self, folder: Path) -> tuple[list[Disclosure], list[str]]:
        """The disclosures among the folder's workbooks, and the names of those that cannot be
        read. Not its subfolders: published output lives there."""
        from ..errors import BudgetXlError
        from ..formats import workbooks_in

        if self.scanned is None:
            if not folder.is_dir():
                raise InputError(f"文件夹 {folder} 不存在：请用 --dir 给出工作簿所在的文件夹。")
            found, unreadable = [], []
            for path in workbooks_in(folder):
                try:
                    found.append(self.read(path))
                except BudgetXlError:
                    unreadable.append(path.name)
            self.scanned = (found, unreadable)
        return self.scanned


@dataclass
class Workspace:
    path: Path | None = None
    department: str | None = None
    years: dict[int, dict[str | None, Path]] = field(default_factory=dict)  # year -> kind (None: any) -> file

    @classmethod
    def load(cls, folder: Path) -> Workspace:
        import tomllib

        path = folder / WORKSPACE
        if not path.is_file():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            line = re.search(r"line (\d+)", str(exc)) if isinstance(exc, tomllib.TOMLDecodeError) else None
            where = f"第 {line.group(1)} 行有误" if line else ("不是 UTF-8 编码" if isinstance(exc, UnicodeDecodeError) else "无法读取")
            raise InputError(f"{path} 不是有效的 TOML 文件（{where}）：格式见 README 的 diff 一节。") from None
        years: dict[int, dict[str | None, Path]] = {}
        for year, value in (data.get("years") or {}).items():
            if not _YEAR.fullmatch(str(year)):
                raise InputError(f"{path} 中 [years] 的“{year}”不是年度（应为如 2024 = \"文件.xlsx\"）。")
            files = value if isinstance(value, dict) else {None: value}
            pinned: dict[str | None, Path] = {}
            for k, file in files.items():
                kind = kind_of(k) if k is not None else None
                if (k is not None and kind is None) or not isinstance(file, str):
                    raise InputError(f"{path} 中 {year} 年的写法不对：应为 {year} = \"文件.xlsx\" 或 "
                                     f"{year} = {{ budget = \"….xlsx\", final = \"….xlsx\" }}。")
                pinned[kind] = folder / file
            years[int(year)] = pinned
        dept = data.get("department")
        return cls(path, str(dept) if dept else None, years)


def _by_year(year: int, kind: str | None, prefer: set[str], dept: str | None, folder: Path, ws: Workspace,
             reader: _Reader, warnings: list[str]) -> Disclosure:
    pinned = ws.years.get(year, {})
    if pinned:
        return _pinned(year, kind, prefer, pinned, ws, reader, warnings)
    found, unreadable = reader.scan(folder)
    candidates = [d for d in found if d.year == year and (not dept or _matches_dept(d, dept))]
    if kind:
        candidates = [d for d in candidates if d.kind == kind]
    elif len({d.kind for d in candidates}) > 1 and len(prefer) == 1:
        candidates = [d for d in candidates if d.kind in prefer] or candidates
    if len(candidates) == 1:
        return candidates[0]
    where = f"文件夹 {folder} " if str(folder) not in ("", ".") else "当前文件夹"
    if not candidates:
        have = "；".join(_describe(d) for d in found) or "没有可读的公开表工作簿"
        skipped = f"（无法读取：{'、'.join(unreadable)}）" if unreadable else ""
        wanted = f"{year} 年" + (kind or "") + (f"、部门“{dept}”" if dept else "")
        raise InputError(f"{where}中没有 {wanted}的工作簿。找到的：{have}{skipped}。可用 --dir 指定文件夹，或直接给出文件路径。")
    listing = "；".join(_describe(d) for d in candidates)
    hint = "用 --kind 指定类别" if len({d.kind for d in candidates}) > 1 else (
        "用 --dept 指定部门" if len({d.department for d in candidates}) > 1 else f"直接给出文件路径，或在 {WORKSPACE} 中指定")
    raise InputError(f"{where}中 {year} 年有 {len(candidates)} 个工作簿，无法确定用哪一个：{listing}。请{hint}。")


def _pinned(year: int, kind: str | None, prefer: set[str], pinned: dict[str | None, Path], ws: Workspace,
            reader: _Reader, warnings: list[str]) -> Disclosure:
    if len(pinned) == 1:
        file = next(iter(pinned.values()))
    else:
        choice = kind or (next(iter(prefer)) if len(prefer) == 1 and next(iter(prefer)) in pinned else None)
        if choice not in pinned:
            raise InputError(f"{ws.path} 为 {year} 年指定了{'、'.join(k for k in pinned if k)}：请用 --kind 选择其一。")
        file = pinned[choice]
    if not file.is_file():
        raise InputError(f"{ws.path} 为 {year} 年指定的文件 {file.name} 不存在：请改正 {WORKSPACE}。")
    d = reader.read(file)
    if kind and d.kind != kind:
        raise InputError(f"{ws.path} 为 {year} 年指定的 {file.name} 是{d.kind}工作簿，不是 --kind 指定的{kind}。")
    if d.year is not None and d.year != year:
        warnings.append(f"{file.name} 中写的年度是 {d.year}，{WORKSPACE} 把它列为 {year} 年：按 {year} 年对比。")
    d.year = year
    return d


def _kinds_of_year(arg: str, folder: Path, ws: Workspace, reader: _Reader) -> set[str]:
    """The kinds the other year has (pinned, or found in the folder): what a year prefers."""
    pinned = ws.years.get(int(arg))
    if pinned:
        return {k for k in pinned if k}
    found, _ = reader.scan(folder)
    return {d.kind for d in found if str(d.year) == arg}


def _describe(d: Disclosure) -> str:
    year = f"{d.year} 年" if d.year else "年度未写明"
    return f"{d.path.name}（{year}{d.kind}，{d.department or '部门未写明'}）"

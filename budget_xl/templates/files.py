"""Where templates live and how they are loaded: the templates/ folder (or its copy in a wheel),
the bundled sets (with a validated copy kept in the user's cache), lookup by id, kind or path.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from ..errors import TemplateError
from ..text import norm
from .spec import KIND_SYNONYMS, KINDS, TemplateSet


def templates_dir() -> Path:
    """templates/ in a source checkout or editable install; budget_xl/_templates in a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_templates", here.parent / "templates"):
        if (candidate / "README.md").is_file():
            return candidate
    raise TemplateError("找不到模板目录 templates/，安装可能不完整：请重新安装 budget-xl。")


def codes_dir() -> Path:
    return templates_dir() / "codes"


@cache
def load_all() -> tuple[TemplateSet, ...]:
    """Every bundled table set (each .yaml under templates/ but the concept vocabulary)."""
    return tuple(cached(p, load_template, TemplateSet) for p in template_files())


NOT_TABLE_SETS = {"concepts.yaml", "line_items.yaml"}  # templates/ files that describe no table set


def template_files(folder: Path | None = None) -> list[Path]:
    return sorted(p for p in (folder or templates_dir()).glob("*.yaml") if p.name not in NOT_TABLE_SETS)


def cache_dir() -> Path:
    """The user's cache of budget-xl (built templates, compiled wording)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "budget-xl"


_cache_dir = cache_dir


T = TypeVar("T")


def cached(path: Path, build: Callable[[Path], T], kind: type, stamp: str = "") -> T:
    """What `build` makes of a file of templates/, kept in the user's cache: parsing YAML and
    validating a template takes ~50 ms, a command runs in well under a second. Keyed by every YAML
    file of the folder (a variant is built on its base, templates use the concept vocabulary) and
    the loader's own source; any problem with the cache just means building again."""
    import pickle

    try:
        stat = path.stat()
        family = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(path.parent.glob("*.yaml")))
        key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{family}|{_LOADER_STAMP}{stamp}".encode()).hexdigest()
        target: Path | None = _cache_dir() / f"{key[:32]}.pickle"
        assert target is not None
        if target.is_file():
            with target.open("rb") as fh:
                value = pickle.load(fh)
            if isinstance(value, kind):
                return value  # type: ignore[return-value]  # isinstance of the caller's T
    except Exception:  # an unreadable or stale cache is not an error
        target = None
    value = build(path)
    if target is not None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except OSError:
            pass
    return value


# Changes to this module (the loader) invalidate cached templates.
_LOADER_STAMP = "|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                         for p in sorted(Path(__file__).parent.glob("*.py")))


def get_template(name: str) -> TemplateSet:
    """A bundled template set by id ('部门决算-全国'), by kind ('部门决算'), or a .yaml path."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return load_template(path)
    sets = load_all()
    for ts in sets:
        if name in (ts.id, ts.name):
            return ts
    kind = kind_of(name)
    by_kind = [ts for ts in sets if ts.kind == kind]
    # Several sets of a kind (provinces' layouts): the one marked `default: true` stands for the kind.
    chosen = by_kind if len(by_kind) == 1 else [ts for ts in by_kind if ts.default]
    if len(chosen) == 1:
        return chosen[0]
    known = "、".join(ts.id for ts in sets)
    raise TemplateError(f"没有名为“{name}”的模板。可用的模板：{known}（也可给出 .yaml 模板文件路径）。")


def kind_of(name: str) -> str | None:
    """'部门预算', '预算', 'budget' → '部门预算' (likewise 决算); None if it names no kind."""
    text = norm(name)
    kind = KIND_SYNONYMS.get(text.lower(), text)
    return kind if kind in KINDS else None


def load_yaml(path: Path, what: str = "模板文件"):
    """A YAML file of templates/ as Python data; one clear sentence when it is missing or broken."""
    import yaml  # deferred: only template loading needs it

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except FileNotFoundError:
        raise TemplateError(f"{what}不存在：{path}") from None
    except UnicodeDecodeError:
        raise TemplateError(f"{what} {path.name} 不是 UTF-8 编码的文字文件") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise TemplateError(f"{what} {path.name} {where}不是有效的 YAML：{getattr(exc, 'problem', exc)}") from None


def load_template(path: str | Path) -> TemplateSet:
    """One template file, parsed and validated (TemplateError naming file and place when wrong); a
    variant (`extends:`) is built on its base."""
    from .builder import TemplateBuilder

    path = Path(path)
    return TemplateBuilder(path.name).build(template_data(path), path)


def template_data(path: Path, chain: tuple[Path, ...] = ()) -> Any:
    """A template file's data, with its base's data underneath when it `extends:` one."""
    from .checker import Checker
    from .overlay import apply_overlay, base_path

    data = load_yaml(path)
    if not isinstance(data, dict) or "extends" not in data:
        return data
    check = Checker(path.name)
    name = str(data["extends"])
    base = base_path(name, path, [path.parent, templates_dir()])
    if base is None:
        check.fail(f"extends 的模板“{name}”不存在（应为内置模板的 id，或本文件旁的 .yaml 文件）")
    if base.resolve() in chain or base.resolve() == path.resolve():
        check.fail(f"extends 形成了循环（{' → '.join(p.name for p in (*chain, path, base))}）")
    merged = apply_overlay(template_data(base, (*chain, path.resolve())), data, check)
    merged["extends"] = name
    return merged

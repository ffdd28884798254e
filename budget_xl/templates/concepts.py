"""The column concepts of templates/concepts.yaml: what a column holds (合计, 一般公共预算, 基本支出 …)
with the wordings of it seen in the wild, and the wordings of group headers. Templates name a
concept instead of repeating its synonyms; the reader compares headers by their canonical wording,
so "一般公共预算拨款" in a workbook meets "一般公共预算" in a template."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..text import norm
from .checker import Checker
from .files import cached, load_yaml, templates_dir


class Concept(NamedTuple):
    id: str
    label: str
    synonyms: tuple[str, ...]


class Vocabulary(NamedTuple):
    concepts: dict[str, Concept]
    canon: dict[str, str]          # normalised wording -> normalised official wording

    def canonical(self, text: str) -> str:
        """The official wording of a (normalised) header text, or the text itself."""
        return self.canon.get(text, text)


def concepts_file() -> Path:
    return templates_dir() / "concepts.yaml"


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary of templates/concepts.yaml (kept in the user's cache like the templates)."""
    return cached(concepts_file(), build_vocabulary, Vocabulary)


def build_vocabulary(path: Path) -> Vocabulary:
    check = Checker(path.name, "列概念表")
    data = load_yaml(path, "列概念表")
    if not isinstance(data, dict):
        check.fail("应有 concepts 和 groups")
    check.check_keys(data, {"concepts", "groups"})
    concepts: dict[str, Concept] = {}
    canon: dict[str, str] = {}

    def add(wording: str, official: str) -> None:
        key, value = norm(wording), norm(official)
        if canon.get(key, value) != value:
            check.fail(f"“{wording}”同时是“{canon[key]}”和“{official}”的写法")
        canon[key] = value

    for cid, raw in (data.get("concepts") or {}).items():
        check.where = f"concepts.{cid}"
        label = check.need(raw, "label")
        synonyms = check.strings(raw.get("synonyms"), "synonyms")
        concepts[str(cid)] = Concept(str(cid), label, synonyms)
        for s in synonyms:
            add(s, label)
    for label, synonyms in (data.get("groups") or {}).items():
        check.where = f"groups.{label}"
        for s in check.strings(synonyms, "groups"):
            add(s, str(label))
    return Vocabulary(concepts, canon)

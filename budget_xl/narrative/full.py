"""The whole disclosure document (`--full`): cover, 目录, then the parts in the official order —
部门概况, the tables, the 情况说明, the 名词解释 — as blocks for the Word writer (report/docx.py).

Which parts, in which order, with which titles, is data: templates/document/<kind>.yaml (a file
named by the table set's id wins, for a province whose document differs). 部门预算 follows seed 000
(概况, 表, 情况说明, 名词解释); 部门决算 follows seed 002 (概况, 情况说明, 名词解释, 表).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import TemplateError
from ..model import Disclosure
from ..templates import TemplateSet, load_yaml, templates_dir
from ..templates.checker import Checker
from ..text import chinese_number
from .document import Block

CONTENTS = ("overview", "tables", "narrative", "glossary")
_NUMERALS = "一二三四五六七八九十"
_DEPT_CODE = re.compile(r"^\s*\d+\s*[-－—]\s*")


@dataclass(frozen=True)
class OverviewSection:
    heading: str     # 一、主要职责
    profile: str     # the profile key holding its text: 部门职责
    missing: str     # what the placeholder asks for when the profile lacks it
    units: str = ""  # without the profile text: this sentence on the units the tables list ({家数}, {单位})


@dataclass(frozen=True)
class Part:
    content: str     # one of CONTENTS
    title: str       # may hold {部门} and {年度}
    sections: tuple[OverviewSection, ...] = ()


@dataclass(frozen=True)
class DocumentLayout:
    cover: str
    parts: tuple[Part, ...]


def full_document_blocks(disclosure: Disclosure, narrative_blocks: list[Block], profile: dict) -> list[Block]:
    """The whole disclosure document as blocks. `narrative_blocks` is the rendered 情况说明 (its
    title, if any, becomes the part's title; a "名词解释" heading and what follows it becomes the
    名词解释 part); `profile` holds facts no table has ("部门职责", "机构设置"), text or lists of lines."""
    layout = document_layout(disclosure.template)
    names = {"部门": department_name(disclosure), "年度": disclosure.year or "【年度】"}
    narrative_title, narrative, glossary = split_narrative(narrative_blocks)
    blocks = [Block("cover", f"{names['部门']}\n{layout.cover.format(**names)}"), Block("pagebreak"), Block("toc")]
    for n, part in enumerate(layout.parts, 1):
        title = narrative_title if part.content == "narrative" and narrative_title else part.title.format(**names)
        blocks += [Block("pagebreak"), Block("part", f"第{chinese_number(n)}部分　{title}")]
        if part.content == "overview":
            for section in part.sections:
                blocks.append(Block("heading", section.heading, 1))
                blocks += [Block("para", line) for line in _lines(profile.get(section.profile))] or \
                    [Block("para", _from_tables(section, disclosure, names) or f"【待填：{section.missing}】")]
        elif part.content == "tables":
            blocks += _tables_part(disclosure)
        elif part.content == "narrative":
            blocks += narrative or [Block("para", "【待填：情况说明】")]
        else:
            blocks += glossary or [Block("para", "【待填：名词解释】")]
    return blocks


def _from_tables(section: OverviewSection, d: Disclosure, names: dict) -> str:
    """What the tables say for a section the profile does not fill: the units they list (单位构成)."""
    from ..classification import split_code
    from .context import units_of

    units = [split_code(u)[1] or u for u in units_of(d)]
    if not section.units or not units:
        return ""
    return section.units.format(家数=len(units), 单位="、".join(units), **names)


def _tables_part(d: Disclosure) -> list[Block]:
    """The list of the tables (as seed 000 prints it under the part title), then each table on its
    own page, in the template's order; a table the workbook lacks prints empty with its note."""
    specs = list(d.template.tables.values())
    blocks = [Block("para", f"{chinese_number(i)}、{spec.title}") for i, spec in enumerate(specs, 1)]
    for spec in specs:
        blocks += [Block("pagebreak"), Block("table", spec.code)]
    return blocks


def split_narrative(blocks: list[Block]) -> tuple[str, list[Block], list[Block]]:
    """(the narrative's title or "", its body, the 名词解释 section's body or [])."""
    title = next((b.text for b in blocks if b.kind == "title"), "")
    body = [b for b in blocks if b.kind != "title"]
    cut = next((i for i, b in enumerate(body) if b.kind == "heading" and "名词解释" in b.text), None)
    if cut is None:
        return title, body, []
    return title, body[:cut], body[cut + 1:]


def department_name(d: Disclosure) -> str:
    """"145-大连市西岗区住房和城乡建设局" → "大连市西岗区住房和城乡建设局"."""
    return _DEPT_CODE.sub("", d.department or "") or "【待填：部门名称】"


def _lines(value) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).splitlines()
    return [str(line).strip() for line in items if str(line).strip()]


# --------------------------------------------------------------------------- the layout file
def document_layout(ts: TemplateSet) -> DocumentLayout:
    folder = templates_dir() / "document"
    for name in (ts.id, ts.kind):
        path = folder / f"{name}.yaml"
        if path.is_file():
            return load_layout(path)
    raise TemplateError(f"找不到 {ts.kind} 全文的结构文件（templates/document/{ts.kind}.yaml），安装可能不完整。")


def load_layout(path: Path) -> DocumentLayout:
    fail = Checker(path.name, "全文结构文件").fail
    data = load_yaml(path, "全文结构文件")
    if not isinstance(data, dict) or not isinstance(data.get("cover"), str) or not isinstance(data.get("parts"), list):
        fail("应有 cover（封面文字）和 parts（各部分的列表）")
    parts = []
    for i, raw in enumerate(data["parts"], 1):
        if not isinstance(raw, dict) or raw.get("content") not in CONTENTS or not isinstance(raw.get("title"), str):
            fail(f"第 {i} 部分应有 content（{'/'.join(CONTENTS)} 之一）和 title")
        sections = []
        for s in raw.get("sections") or []:
            if not isinstance(s, dict) or not all(isinstance(s.get(k), str) for k in ("heading", "profile")):
                fail(f"第 {i} 部分的 sections 每项应有 heading 和 profile")
            sections.append(OverviewSection(s["heading"], s["profile"], str(s.get("missing") or s["profile"]),
                                            str(s.get("units") or "")))
        parts.append(Part(raw["content"], raw["title"], tuple(sections)))
    try:
        for text in (data["cover"], *(p.title for p in parts)):
            text.format(部门="", 年度="")
        for sec in (sec for p in parts for sec in p.sections):
            sec.units.format(部门="", 年度="", 家数=0, 单位="")
    except (KeyError, IndexError, ValueError) as exc:
        fail(f"标题中只能用 {{部门}} 和 {{年度}}，units 中另可用 {{家数}}、{{单位}}（{exc}）")
    return DocumentLayout(data["cover"], tuple(parts))

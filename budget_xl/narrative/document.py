"""The narrative as a list of blocks, independent of Word.

The wording template (templates/narrative/*.md.j2) renders to text with a light markup, parsed
here into blocks; the docx writer (report/docx.py) turns blocks into Word. Markup:

    # 标题                 document title (小标宋/黑体, centred)
    ## 一、…               heading level 1 (黑体)
    ### （一）…            heading level 2 (楷体)
    #### 1、…             heading level 3 (仿宋, bold)
    any other line         a body paragraph (仿宋, first-line indent of two characters)
    **词**：解释           bold run inside a paragraph (名词解释)
    【待填：主要原因】      a placeholder for the clerk, highlighted in yellow
    [[table 附表4]]        (full document only) the table of that code as a Word table
    [[pagebreak]]          a page break
    [[toc]]                a table of contents field (目录)
    [[part 第一部分 部门概况]]  (full document) a part title: a top-level heading above 一、
    [[cover 某某局|2024年度部门预算]]  (full document) the cover page, one line per "|"

Blank lines carry no meaning: every non-empty line is one block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(r"【[^】]*】")
_DIRECTIVE = re.compile(r"^\[\[(table|pagebreak|toc|part|cover)(?:\s+(.+?))?\]\]$")


@dataclass(frozen=True, slots=True)
class Block:
    kind: str        # title / heading / para / table / pagebreak / toc / part / cover
    text: str = ""   # for a table block: the table code; for a cover: its lines, "\n"-separated
    level: int = 0   # heading level 1..3

    @property
    def placeholders(self) -> list[str]:
        return PLACEHOLDER.findall(self.text)


def parse_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if m := _DIRECTIVE.match(line):
            kind, arg = m.group(1), (m.group(2) or "").strip()
            if kind == "cover":
                arg = "\n".join(part.strip() for part in arg.split("|") if part.strip())
            blocks.append(Block(kind, arg))
        elif line.startswith("#"):
            hashes = len(line) - len(line.lstrip("#"))
            body = line[hashes:].strip()
            blocks.append(Block("title", body) if hashes == 1 else Block("heading", body, min(hashes - 1, 3)))
        else:
            blocks.append(Block("para", line))
    return blocks


def plain_text(blocks: list[Block]) -> str:
    """The narrative as plain text, one block a line (for tests, the narrative check and `--format text`)."""
    return "\n".join(b.text.replace("**", "") for b in blocks if b.kind in ("title", "heading", "para"))

"""README.md runs: every command block of the README is executed on a copy of the shipped samples, so the
README cannot drift from the program.

The convention (what README.md may contain, and how each block is checked):

- Blocks. Every fenced ```bash block and every ```python block is run, one test per block (named by the line of
  its opening fence). Other blocks (```text, ```json, ```toml …) are illustrations and are not run, except that a
  ```toml block whose first line is `# <path>` must hold the same data as that shipped file.
- Where. Each block runs in a fresh temporary folder standing for the repository root, holding a copy of
  sample_workbooks/. Relative paths therefore name the shipped samples, and whatever a command writes (-o,
  --annotate, --summary, `> FILE`) lands in the temporary folder. A block is a shell session: its commands run in
  order, and `cd DIR` changes the folder for the rest of the block (never outside the temporary folder).
- Shell. A small subset of sh and no more: `\\` at the end of a line continues the command, `#` starts a comment,
  quotes '…' and "…", `a && b` (b runs only when a exits 0), `> FILE` (stdout to FILE), `cd DIR`. Anything else
  (pipes, `;`, `<`, `2>`, `>>`, `$…`, backquotes, absolute paths) fails the test: the README stays copyable as is.
- Commands. `budget-xl …` (also written `.venv/bin/budget-xl …`) runs in-process through `budget_xl.cli.main`,
  the console script's entry point with its mapping of errors to exit statuses (sys.argv, the working folder and
  stdout/stderr swapped for the call). Set-up steps are not run: `python3 -m venv …`, `pip …` / `.venv/bin/pip …`
  (they install) and `… -m pytest` (the test suite itself). Any other program fails the test.
- Exit status. A command must exit 0 unless its trailing comment says `退出码 N` (anywhere in the comment, e.g.
  `# 退出码 1：公开原样版有 6 处错误`); then it must exit N. In `a && b` the comment is about the last command; the
  ones before it must exit 0. No command may end in a traceback or an internal error (exit 3).
- Python blocks run with the temporary folder as working directory. A top-level expression whose trailing
  comment is a Python value (a literal, or built with `Decimal('…')`) must evaluate to that value, e.g.
  `t["2010301"].amounts["out_basic"]   # Decimal('434.21')`; any other comment is prose.
- The first block is the set-up (create the venv + install + fill a sample; run the tests). By the rules above its
  install and pytest steps are skipped and its `fill` runs; `test_first_block_is_the_set_up` also checks that the
  fill's input is a shipped sample workbook.
"""
from __future__ import annotations

import ast
import contextlib
import io
import re
import shlex
import shutil
import sys
import tokenize
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

README = ROOT / "README.md"
EXIT_STATUS = re.compile(r"退出码\s*(\d+)")
RUN_LANGS = ("bash", "python")


# --------------------------------------------------------------------------- blocks
@dataclass
class Block:
    line: int        # README line of the opening fence
    lang: str
    lines: list[str]

    @property
    def id(self) -> str:
        return f"README.md:{self.line}-{self.lang}"


def fenced_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if current is None:
            m = re.match(r"^```\s*([\w+-]*)\s*$", line)
            if m:
                current = Block(number, m.group(1).lower(), [])
        elif line.strip() == "```":
            blocks.append(current)
            current = None
        else:
            current.lines.append(line)
    assert current is None, f"README.md:{current.line}: code block without a closing ```"
    return blocks


BLOCKS = fenced_blocks(README.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the shell subset
@dataclass
class Step:
    argv: list[str]
    redirect: str | None = None   # `> FILE`


@dataclass
class Command:
    line: int                     # README line where the command starts
    text: str
    steps: list[Step] = field(default_factory=list)   # joined by &&
    exit_status: int = 0


def split_comment(line: str) -> tuple[str, str, str]:
    """(code, comment, unquoted code): a `#` starts a comment at the line's start or after a blank, outside quotes."""
    quote = None
    unquoted = []
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i], line[i + 1:], "".join(unquoted)
        else:
            unquoted.append(ch)
    return line, "", "".join(unquoted)


def parse_commands(block: Block) -> list[Command]:
    commands: list[Command] = []
    pending: tuple[int, str, str] | None = None   # (start line, code so far, unquoted so far)
    for offset, raw in enumerate(block.lines, 1):
        number = block.line + offset
        code, comment, unquoted = split_comment(raw)
        if pending:
            start, code, unquoted = pending[0], pending[1] + " " + code, pending[2] + " " + unquoted
            pending = None
        else:
            start = number
        if not comment and code.rstrip().endswith("\\"):
            stripped = code.rstrip()[:-1]
            pending = (start, stripped, unquoted.rstrip()[:-1])
            continue
        if not code.strip():
            continue   # blank or comment-only line
        commands.append(parse_command(start, code, comment, unquoted))
    assert pending is None, f"README.md:{pending[0]}: the last line of a block ends with \\"
    return commands


def parse_command(line: int, code: str, comment: str, unquoted: str) -> Command:
    where = f"README.md:{line}: “{code.strip()}”"
    for bad in ("|", ";", "<", "$", "`", ">>"):
        assert bad not in unquoted, f"{where} uses {bad!r}, which the README test does not run (see test_readme.py)"
    assert not re.search(r"\d>", unquoted), f"{where} redirects a numbered stream, which the README test does not run"
    lexer = shlex.shlex(code, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    m = EXIT_STATUS.search(comment)
    cmd = Command(line, code.strip(), exit_status=int(m.group(1)) if m else 0)
    step = Step([])
    tokens.append("&&")
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "&&":
            assert step.argv, f"{where}: an empty command around &&"
            cmd.steps.append(step)
            step = Step([])
        elif tok == ">":
            assert i + 1 < len(tokens) - 1 and tokens[i + 1] != "&&", f"{where}: > without a file"
            step.redirect = tokens[i + 1]
            i += 1
        else:
            assert not set(tok) <= set("();<>|&"), f"{where} uses {tok!r}, which the README test does not run"
            assert not tok.startswith("/"), f"{where}: an absolute path ({tok}); README commands use the shipped samples"
            step.argv.append(tok)
        i += 1
    return cmd


# --------------------------------------------------------------------------- running
def kind_of_step(argv: list[str]) -> str:
    prog = Path(argv[0]).name
    if prog == "budget-xl":
        return "budget-xl"
    if prog == "cd":
        return "cd"
    if prog in ("pip", "pip3") or (prog.startswith("python") and argv[1:3] in (["-m", "venv"], ["-m", "pip"])):
        return "set-up"
    if prog.startswith("python") and argv[1:3] == ["-m", "pytest"]:
        return "set-up"
    return "unknown"


def run_budget_xl(args: list[str], cwd: Path, monkeypatch) -> tuple[int, str, str]:
    """`budget-xl ARGS` as the console script runs it, in this process."""
    from budget_xl.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", newline="\n", write_through=True)
    with monkeypatch.context() as m:
        m.chdir(cwd)
        m.setattr(sys, "argv", ["budget-xl", *args])
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main()
                status = 0
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                stdout.flush()
                stderr.flush()
    return status, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    """A folder standing for the repository root, with a copy of the shipped samples."""
    shutil.copytree(SAMPLES, tmp_path / "sample_workbooks", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


BASH = [b for b in BLOCKS if b.lang == "bash"]
PYTHON = [b for b in BLOCKS if b.lang == "python"]


@pytest.mark.parametrize("block", BASH, ids=lambda b: b.id)
def test_bash_block_runs_on_the_samples(block, repo, monkeypatch):
    cwd = repo
    ran = 0
    for cmd in parse_commands(block):
        where = f"README.md:{cmd.line}: {cmd.text}"
        for k, step in enumerate(cmd.steps):
            last = k == len(cmd.steps) - 1
            kind = kind_of_step(step.argv)
            assert kind != "unknown", f"{where}: {step.argv[0]} is not a command the README test runs (see test_readme.py)"
            if kind == "set-up":
                continue
            if kind == "cd":
                assert len(step.argv) == 2 and not step.redirect, f"{where}: cd takes one folder"
                target = (cwd / step.argv[1]).resolve()
                assert target.is_dir(), f"{where}: no folder {step.argv[1]} in the samples"
                assert target == repo.resolve() or repo.resolve() in target.parents, f"{where}: cd leaves the repository"
                cwd = target
                continue
            status, out, err = run_budget_xl(step.argv[1:], cwd, monkeypatch)
            ran += 1
            expected = cmd.exit_status if last else 0
            assert "Traceback" not in err and "内部错误" not in err, f"{where}\n{err}"
            assert status == expected, (f"{where}\nexit status {status}, the README implies {expected}"
                                        f" (write “# 退出码 N” after a command that should exit N)\n"
                                        f"stdout:\n{out[-2000:]}\nstderr:\n{err[-2000:]}")
            if step.redirect:
                (cwd / step.redirect).write_text(out, encoding="utf-8")
    assert ran, f"{block.id}: a command block that runs nothing"


NOTHING = object()


def expected_value(comment: str | None):
    """The value a `# …` comment states, or NOTHING when the comment is prose."""
    if not comment:
        return NOTHING
    text = comment.lstrip("#").strip()
    try:
        tree = ast.parse(text, mode="eval")
        return eval(compile(tree, "<comment>", "eval"), {"__builtins__": {}, "Decimal": Decimal})
    except Exception:   # prose: not Python, or names something other than a value
        return NOTHING


@pytest.mark.parametrize("block", PYTHON, ids=lambda b: b.id)
def test_python_block_runs_on_the_samples(block, repo, monkeypatch):
    source = "\n".join(block.lines) + "\n"
    tree = ast.parse(source, filename="README.md")
    comments = {tok.start[0]: tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                if tok.type == tokenize.COMMENT}
    namespace: dict = {"__name__": "__readme__"}
    monkeypatch.chdir(repo)
    checked = 0
    for node in tree.body:
        where = f"README.md:{block.line + node.lineno}: {ast.get_source_segment(source, node)}"
        if isinstance(node, ast.Expr):
            value = eval(compile(ast.Expression(node.value), "README.md", "eval"), namespace)
            expected = expected_value(comments.get(node.end_lineno))
            if expected is not NOTHING:
                assert value == expected, f"{where}\ngives {value!r}, the README says {expected!r}"
                checked += 1
        else:
            exec(compile(ast.Module([node], type_ignores=[]), "README.md", "exec"), namespace)
    assert checked, f"{block.id}: no line states its result"


def test_first_block_is_the_set_up():
    """The first two lines: create the venv, install, fill a shipped sample; run the tests."""
    first = BLOCKS[0]
    assert first.lang == "bash" and first.line == 3, "README.md must open with the set-up block"
    commands = parse_commands(first)
    assert len(commands) == 2 and len(first.lines) == 2
    kinds = [kind_of_step(s.argv) for s in commands[0].steps]
    assert kinds[:2] == ["set-up", "set-up"] and kinds[-1] == "budget-xl", kinds
    fill = commands[0].steps[-1].argv
    assert fill[1] == "fill"
    sample = (ROOT / fill[2]).resolve()
    assert sample.is_file() and SAMPLES in sample.parents, f"{fill[2]} is not a shipped sample workbook"
    assert [kind_of_step(s.argv) for s in commands[1].steps] == ["set-up"] and "pytest" in commands[1].text


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang == "toml"], ids=lambda b: b.id)
def test_toml_block_is_valid_and_matches_the_file_it_names(block):
    text = "\n".join(block.lines)
    data = tomllib.loads(text)
    m = re.match(r"#\s*(\S+\.toml)\s*$", block.lines[0]) if block.lines else None
    if m:
        shipped = ROOT / m.group(1)
        assert shipped.is_file(), f"{block.id} names {m.group(1)}, which is not shipped"
        assert data == tomllib.loads(shipped.read_text(encoding="utf-8")), f"{block.id} differs from {m.group(1)}"


def test_every_runnable_block_is_found():
    """The parser sees the README's blocks (a broken fence would silently hide the rest of the file)."""
    assert len(BASH) >= 8 and len(PYTHON) >= 1
    assert any(c.exit_status == 1 for b in BASH for c in parse_commands(b))
    headline = [c for b in BASH for c in parse_commands(b) if "budget-xl diff 2023 2024" in c.text]
    assert any(c.steps[0].argv == ["cd", "sample_workbooks/住建局"] for c in headline), "the headline diff is shown"

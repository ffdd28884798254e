"""Running one command on one case in a subprocess under limits, and judging the run against the
contract of PRODUCT.md §4/§6:

- the exit status is 0, 1 or 2 (and one the case allows); no signal, no hang past the time limit;
- on exit 2, stderr is one line “错误：…” in Chinese;
- no English exception text anywhere (a traceback, an exception name, a library's own message);
- the input files are byte-identical, and nothing new appears beside them;
- no partial output: on success exactly the files the command writes, on failure none, and never a
  temporary file left behind;
- no live formula in any workbook written: an <f> element is allowed only in an annotated copy, at a
  cell where the input has one;
- peak memory (max RSS of the process tree) within the limit.
"""
from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .families import BASES, Case

TIME_LIMIT = 30.0
MEMORY_LIMIT_MB = 1024
ADDRESS_SPACE = 6 << 30          # a hard stop far above the limit, so a runaway run cannot take the machine

# name → (arguments, outputs written on success, or None: see `_expected`)
COMMANDS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "show": (["show", "{wb}"], ()),
    "check": (["check", "{wb}"], ()),
    "check-json": (["check", "{wb}", "--format", "json"], ()),
    "annotate": (["check", "{wb}", "--annotate", "{out}/标注.xlsx"], ("标注.xlsx",)),
    "fill": (["fill", "{wb}", "-o", "{out}"], ("*.xlsx", "*_情况说明.docx", "*_校验报告.txt")),
    "fill-force": (["fill", "{wb}", "-o", "{out}", "--force", "--recompute"], ("*.xlsx", "*_情况说明.docx", "*_校验报告.txt")),
    "fill-full": (["fill", "{wb}", "-o", "{out}", "--full", "--prior", "{other}", "--force"],
                  ("*.xlsx", "*_情况说明.docx", "*_公开文件.docx", "*_校验报告.txt")),
    "fill-perf": (["fill", "{main}", "-o", "{out}", "--performance", "{perf}", "--force"],
                  ("*.xlsx", "*.xlsx", "*_情况说明.docx", "*_校验报告.txt")),
    "narrate": (["narrate", "{wb}", "-o", "{out}/说明.docx"], ("说明.docx",)),
    "diff": (["diff", "{other}", "{wb}", "-o", "{out}/对比.xlsx"], ("对比.xlsx",)),
    "diff-json": (["diff", "{wb}", "{other}", "--format", "json"], ()),
}
SUCCESS = {"annotate": (0, 1), "fill": (0,), "fill-force": (0,), "fill-full": (0,), "fill-perf": (0,), "narrate": (0,),
           "diff": (0,)}
# The workbook each kind is compared with (diff, --prior), and what fill writes of a 绩效 forms workbook
# (its tables and the report: no narrative).
OTHER = {"final": "final", "gov": "gov-2023", "forms": "budget", "items": "budget-2023", "budget": "budget-2023"}
FORMS_WRITES = ("*.xlsx", "*_校验报告.txt")


def expected_writes(command: str, case: Case) -> tuple[str, ...]:
    writes = COMMANDS[command][1]
    if case.kind == "forms" and command in ("fill", "fill-force", "fill-full"):
        return FORMS_WRITES
    return writes

# Signs of an exception or a library's own words reaching the user.
EXCEPTION_TEXT = re.compile(
    r"Traceback|内部错误|\b\w*(?:Error|Exception)\b|\bwarning\b|\berrno\b|\[Errno|panicked|RUST_BACKTRACE|unwrap\(\)|"
    r"No such file|Permission denied|not readable|null byte|too long|Is a directory|not supported|"
    r"has no attribute|codec can't|object is not|unexpected|invalid (?:literal|syntax|zip|xml)|"
    r"\bat line \d|\bline \d+, column \d+", re.I)
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?:[ \t,;:'\"()-]+[A-Za-z]{2,}){2,}")
ALLOWED_ENGLISH = re.compile(r"budget-xl(?: [a-z]+)*(?: --?[a-z-]+)*|--[a-z-]+|Excel/WPS|LibreOffice|BUDGET_XL_\w+|"
                             r"\.xlsx|\.xlsm|\.xls|\.ods|\.docx|\.txt|\.md|\.yaml|\.toml")


@dataclass
class Run:
    case: Case
    command: str
    argv: list[str]
    exit: int | None = None
    signal: int | None = None
    seconds: float = 0.0
    rss_mb: float = 0.0
    stdout: str = ""
    stderr: str = ""
    outputs: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)   # kind → detail

    def line(self) -> str:
        what = f"exit {self.exit}" if self.signal is None else f"signal {self.signal}"
        return (f"[{self.case.family}] {self.case.name} :: {self.command}: {what}, {self.seconds:.1f} s, "
                f"{self.rss_mb:.0f} MB — {'; '.join(f'{k}: {v}' for k, v in self.problems.items())}")


def materialise(case: Case, folder: Path) -> tuple[Path, str]:
    """Lays the case out in `folder`; returns (the folder to run in, the workbook argument)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = case.filename
    path = folder / name
    layout = case.layout
    if layout == "bad-utf8":
        raw = os.fsencode(folder) + b"/\xff\xfe\xe8\xa1.xlsx"
        with open(raw, "wb") as fh:
            fh.write(case.data or b"")
        return folder, os.fsdecode(raw)
    if layout == "fifo":
        os.mkfifo(path)
    elif layout == "loop":
        os.symlink(folder / "乙.xlsx", path)
        os.symlink(path, folder / "乙.xlsx")
    elif layout == "dangling":
        os.symlink(folder / "不存在.xlsx", path)
    elif layout == "device":
        os.symlink("/dev/zero", path)
    elif layout == "dir":
        path.mkdir()
        (path / "内.xlsx").write_bytes(case.data or b"")
    elif layout == "unreadable-dir":
        inner = folder / "锁住的"
        inner.mkdir()
        path = inner / name
        path.write_bytes(case.data or b"")
        inner.chmod(0)
    else:
        path.write_bytes(case.data or b"")
        if layout == "unreadable":
            path.chmod(0)
    if layout in ("dash", "dash-dir"):
        return folder, name            # run in the folder, named relative: "-表.xlsx"
    return folder, str(path)


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry under the folder: regular files by content, the rest by kind (never opened)."""
    out: dict[str, object] = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            p = Path(root) / name
            st = p.lstat()
            rel = str(p.relative_to(folder))
            if stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(p, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
                out[rel] = (h.hexdigest(), st.st_mtime_ns)
            else:
                out[rel] = stat.S_IFMT(st.st_mode)
    return out


def formula_cells(path: Path) -> set[tuple[str, str]]:
    """(sheet name, cell) of every <f> element of an xlsx; empty for anything else (a damaged file
    included: this looks at outputs and inputs alike)."""
    found: set[tuple[str, str]] = set()
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            sheets = {}
            if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
                rels = {}
                for m in re.finditer(r"<Relationship\b[^>]*>", zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")):
                    rid, target = re.search(r'\bId="([^"]*)"', m.group(0)), re.search(r'\bTarget="([^"]*)"', m.group(0))
                    if rid and target:
                        rels[rid.group(1)] = target.group(1)
                for m in re.finditer(r'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', zf.read("xl/workbook.xml").decode("utf-8", "replace")):
                    target = rels.get(m.group(2), "")
                    sheets["xl/" + target.lstrip("/").removeprefix("xl/")] = m.group(1)
            for member in names:
                if not member.startswith("xl/worksheets/") or not member.endswith(".xml"):
                    continue
                if zf.getinfo(member).file_size > 200 << 20:
                    continue
                xml = zf.read(member).decode("utf-8", "replace")
                # (an empty cell closes itself, <c r="F46"/>: its search must not run into the next cell)
                for m in re.finditer(r'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*?(?<!/)>(?:(?!</c>|<c[\s>/]).)*?<f\b', xml, re.S):
                    found.add((sheets.get(member, member), m.group(1)))
    except Exception:  # any damage: no formulas to speak of
        pass
    return found


def run_command(argv: list[str], cwd: Path, *, drop_dac: bool = False, timeout: float = TIME_LIMIT,
                env: dict | None = None) -> tuple[int | None, int | None, float, float, str, str, bool]:
    """(exit, signal, seconds, max RSS in MB, stdout, stderr, timed out) of a budget-xl process."""
    cmd = [sys.executable, "-m", "budget_xl", *argv]
    if drop_dac and os.geteuid() == 0 and shutil.which("setpriv"):
        # As root every file is readable: drop the capabilities that make it so.
        cmd = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    out_path, err_path = cwd.parent / f".{cwd.name}.out", cwd.parent / f".{cwd.name}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, process_group=0)
        try:
            resource.prlimit(proc.pid, resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        except (ProcessLookupError, PermissionError, ValueError):
            pass
        hung = False
        peak = 0
        while True:
            peak = max(peak, tree_memory(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                hung = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        with __import__("contextlib").suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)   # workers of a folder run left behind, if any
    code = proc.returncode
    stdout = out_path.read_bytes().decode("utf-8", "replace")
    stderr = err_path.read_bytes().decode("utf-8", "replace")
    out_path.unlink()
    err_path.unlink()
    exit_code, sig = (code, None) if code >= 0 else (None, -code)
    # ru_maxrss keeps the RSS the child had before exec (a copy of this process): it counts only
    # when above that; otherwise the peak polled from /proc (VmHWM of the process and its workers).
    inherited = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_kb = max(peak, usage.ru_maxrss if usage.ru_maxrss > inherited * 1.2 else 0)
    return exit_code, sig, seconds, rss_kb / 1024, stdout, stderr, hung


def tree_memory(pid: int) -> int:
    """KB: the peak resident memory (VmHWM) of a process plus the current one of its children."""
    def field(p: int, name: str) -> int:
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith(name):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return 0

    total = field(pid, "VmHWM:")
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            children = [int(c) for c in fh.read().split()]
    except (OSError, ValueError):
        children = []
    return total + sum(field(c, "VmRSS:") for c in children)


def _json_text(stdout: str) -> str:
    """The texts of a JSON report meant for people: its keys and its enumerations (levels, rule ids,
    statuses, written in ASCII by design) are left out."""
    import json

    try:
        data = json.loads(stdout)
    except ValueError:
        return stdout
    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and not re.fullmatch(r"[A-Za-z0-9_.:+-]*", value):
            texts.append(value)

    walk(data)
    return "\n".join(texts)


def english(text: str, paths: list[str]) -> str | None:
    for p in sorted(paths, key=len, reverse=True):
        text = text.replace(p, "")
    m = EXCEPTION_TEXT.search(text)
    if m:
        return m.group(0)
    for m in ENGLISH_WORDS.finditer(ALLOWED_ENGLISH.sub("", text)):
        if not re.fullmatch(r"(\w+)(?:\W+\1)+\W*", m.group(0)):   # a workbook's own text repeated ("-rf-rf-rf" as a name)
            return m.group(0)
    return None


def judge(case: Case, command: str, workdir: Path, env: dict | None = None) -> Run:
    """Runs `command` on the case laid out in a fresh folder under `workdir` and judges it."""
    args, _ = COMMANDS[command]
    folder = workdir / "in"
    out = workdir / "out"
    out.mkdir(parents=True)
    cwd, wb = materialise(case, folder)
    other = str(BASES[OTHER[case.kind]])
    # fill --performance: a forms case is the 绩效 workbook given to the corrected budget; any other
    # case is the main workbook, given the 绩效 sample of 住建局.
    main, perf = (str(BASES["budget"]), wb) if case.kind == "forms" else (wb, str(BASES["perf-target"]))
    fmt = {"wb": wb, "out": out, "other": other, "main": main, "perf": perf}
    argv = [a.format(**fmt) for a in args]
    if case.layout == "dash-dir":
        # The documented way: '--' ends the options, the paths follow it. (With "dash" the path
        # starting with '-' is given as is: it must be refused in one sentence.)
        places = [i for i in range(1, len(args)) if args[i].startswith("{") and not args[i - 1].startswith("-")]
        positional = [args[i].format(**fmt) for i in places]
        options = [args[i].format(**fmt) for i in range(1, len(args)) if i not in places]
        argv = [args[0], *options, "--", *positional]
    before = snapshot(folder)
    allowed_formulas = formula_cells(Path(wb)) if command == "annotate" and Path(wb).is_file() else set()
    run = Run(case, command, argv)
    drop = case.layout in ("unreadable", "unreadable-dir")
    run.exit, run.signal, run.seconds, run.rss_mb, run.stdout, run.stderr, hung = run_command(argv, cwd, drop_dac=drop, env=env)
    p = run.problems
    if hung:
        p["hang"] = f"killed after {TIME_LIMIT:.0f} s"
    elif run.signal is not None:
        p["exit"] = f"signal {signal.Signals(run.signal).name}"
    elif run.exit not in (0, 1, 2):
        p["exit"] = f"exit {run.exit}"
    elif run.exit not in case.expect and case.layout != "dash" and not (case.layout == "dir" and argv[0] == "check"):
        p["exit"] = f"exit {run.exit}, expected {case.expect}"   # (check takes a folder: a folder named x.xlsx too)
    if case.layout == "dash" and run.exit != 2:
        p["exit"] = f"exit {run.exit}: a path starting with '-' without '--' must be refused"
    if run.rss_mb > MEMORY_LIMIT_MB:
        p["memory"] = f"{run.rss_mb:.0f} MB"
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    if run.exit == 2 and not (len(lines) == 1 and lines[0].startswith("错误：") and re.search(r"[\u4e00-\u9fff]", lines[0])):
        p["sentence"] = run.stderr.strip()[:300] or "(nothing on stderr)"
    shown = _json_text(run.stdout) if "--format" in argv and "json" in argv else run.stdout
    word = english(shown + "\n" + run.stderr, [wb, str(out), other, main, perf, str(folder), str(workdir)])
    if word:
        p["english"] = word
    if drop:
        for root, dirs, _ in os.walk(folder, followlinks=False):
            for name in dirs:
                (Path(root) / name).chmod(0o755)
    after = snapshot(folder)
    if after != before:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        p["input"] = ", ".join(changed)[:200]
    written = sorted(str(q.relative_to(out)) for q in out.rglob("*"))
    run.outputs = written
    hidden = [w for w in written if Path(w).name.startswith(".")]
    if hidden:
        p["partial"] = f"left behind: {hidden}"
    expected = expected_writes(command, case) if run.exit in SUCCESS.get(command, ()) else ()
    if not _matches(written, expected):
        p["partial"] = f"wrote {written}, expected {list(expected)} on exit {run.exit}"
    for name in written:
        if name.endswith(".xlsx"):
            live = formula_cells(out / name) - allowed_formulas
            if live:
                p["formula"] = f"{name}: {sorted(live)[:3]}"
            try:
                with zipfile.ZipFile(out / name) as zf:
                    bad = zf.testzip()
                if bad:
                    p["partial"] = f"{name}: member {bad} corrupt"
            except zipfile.BadZipFile:
                p["partial"] = f"{name}: not a zip"
    return run


def _matches(written: list[str], expected: tuple[str, ...]) -> bool:
    import fnmatch

    if len(written) != len(expected):
        return False
    left = list(written)
    for pattern in expected:
        hit = next((w for w in left if fnmatch.fnmatch(w, pattern)), None)
        if hit is None:
            return False
        left.remove(hit)
    return True

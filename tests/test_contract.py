"""The command contract, once for every command (as csvkit shares its test mixins): unusable input
exits 2 with one Chinese sentence and no traceback, and the input is left as it was; an existing
output is never overwritten without --force, and --force overwrites it."""
import hashlib
import shutil
import zipfile

import pytest
from conftest import BUDGET_2023, BUDGET_2024_FIXED, FINAL_2024_FIXED

# Each command with the arguments that make it read WORKBOOK (and write into OUT where it writes).
COMMANDS = {
    "show": ["show", "{wb}"],
    "check": ["check", "{wb}"],
    "check-json": ["check", "{wb}", "--format", "json"],
    "fill": ["fill", "{wb}", "-o", "{out}"],
    "narrate": ["narrate", "{wb}", "-o", "{out}/说明.docx"],
    "diff-before": ["diff", "{wb}", str(BUDGET_2024_FIXED)],
    "diff-after": ["diff", str(BUDGET_2023), "{wb}"],
}


def _bad_inputs(folder):
    """Files a user might hand over that are no usable workbook, by what is wrong with them."""
    text = folder / "文字.xlsx"
    text.write_text("部门预算\t附表1\n", encoding="utf-8")
    empty = folder / "空.xlsx"
    empty.write_bytes(b"")
    torn = folder / "损坏.xlsx"
    torn.write_bytes(BUDGET_2024_FIXED.read_bytes()[:5000])
    docx = folder / "说明.docx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    notables = folder / "无表.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "会议纪要"
    wb.save(notables)
    return {"text": text, "empty": empty, "torn": torn, "docx": docx, "no-tables": notables,
            "missing": folder / "不存在.xlsx"}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _one_sentence(res):
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr + res.stdout and "内部错误" not in res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误："), res.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])


@pytest.mark.parametrize("command", COMMANDS)
def test_unusable_input_is_one_chinese_sentence_and_exit_2(cli, tmp_path, command):
    out = tmp_path / "输出"
    out.mkdir()
    for kind, path in _bad_inputs(tmp_path).items():
        before = _digest(path)
        args = [a.format(wb=path, out=out) for a in COMMANDS[command]]
        res = cli(*args)
        _one_sentence(res)
        assert _digest(path) == before, f"{kind}: input changed"
        assert list(out.iterdir()) == [], f"{kind}: something was written"


@pytest.mark.parametrize("kind", ["torn", "no-tables"])
def test_unusable_input_as_a_real_process(process_cli, tmp_path, kind):
    """The installed entry point (not only the in-process runner) keeps the same contract."""
    path = _bad_inputs(tmp_path)[kind]
    _one_sentence(process_cli("check", path))
    _one_sentence(process_cli("fill", path, "-o", tmp_path / "发布"))


# Each writing command, with the output it writes when run twice.
WRITERS = {
    "fill": (["fill", str(BUDGET_2024_FIXED), "-o", "{tmp}"], None),
    "narrate": (["narrate", str(FINAL_2024_FIXED), "-o", "{tmp}/说明.txt"], "说明.txt"),
    "check --annotate": (["check", str(BUDGET_2024_FIXED), "--annotate", "{tmp}/标注.xlsx"], "标注.xlsx"),
    "diff -o": (["diff", str(BUDGET_2023), str(BUDGET_2024_FIXED), "-o", "{tmp}/对比.xlsx"], "对比.xlsx"),
    "init": (["init", "部门预算", "--template", "部门预算-辽宁", "--year", "2025", "--dept", "145-某局", "-o", "{tmp}/填报表.xlsx"], "填报表.xlsx"),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_output_needs_force(cli, tmp_path, writer):
    template, name = WRITERS[writer]
    args = [a.format(tmp=tmp_path) for a in template]
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    written = sorted(p for p in tmp_path.iterdir() if p.is_file())
    assert written and (name is None or [p.name for p in written] == [name])
    stamps = {p: _digest(p) for p in written}
    again = cli(*args)
    _one_sentence(again)
    assert "--force" in again.stderr and "已存在" in again.stderr
    assert {p: _digest(p) for p in written} == stamps
    assert cli(*args, "--force").returncode == 0


def test_no_command_writes_over_its_input(cli, tmp_path):
    wb = tmp_path / BUDGET_2024_FIXED.name
    shutil.copy(BUDGET_2024_FIXED, wb)
    before = _digest(wb)
    for args in (["check", wb, "--annotate", wb, "--force"], ["narrate", wb, "-o", wb.with_suffix(".txt")],
                 ["diff", BUDGET_2023, wb, "-o", wb, "--force"]):
        cli(*args)
        assert _digest(wb) == before

"""The sample workbooks are built from data files: the derived data is up to date with the templates
and a rebuild gives the very same files."""
import shutil
import subprocess
import sys

from conftest import SAMPLES


def test_derived_sample_data_is_up_to_date():
    out = subprocess.run([sys.executable, str(SAMPLES / "make_data.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_rebuild_is_byte_identical(tmp_path):
    copy = tmp_path / "sample_workbooks"
    shutil.copytree(SAMPLES, copy, ignore=shutil.ignore_patterns("*.xlsx", "__pycache__"))
    out = subprocess.run([sys.executable, str(copy / "build.py")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    shipped = sorted(p.relative_to(SAMPLES) for p in SAMPLES.rglob("*.xlsx"))
    assert shipped == sorted(p.relative_to(copy) for p in copy.rglob("*.xlsx"))
    # one folder per department or government (城市更新中心: seed 004's 绩效 forms, a department of its own)
    assert {p.parent.name for p in shipped} == {"住建局", "政府办", "城市更新中心", "西岗区"}
    for name in shipped:
        assert (copy / name).read_bytes() == (SAMPLES / name).read_bytes(), name

"""Code lists: the bundled partial list, and the official list a user imports."""
import openpyxl
from test_samples import FINAL_2024

from budget_xl.classification import classify
from budget_xl.codes import catalogue

OFFICIAL_2024 = [
    ("201", "一般公共服务支出"), ("20103", "政府办公厅(室)及相关机构事务"), ("2010301", "行政运行"),
    ("2010302", "一般行政管理事务"), ("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"),
    ("2080501", "行政单位离退休"), ("2080505", "机关事业单位基本养老保险缴费支出"),
    ("210", "卫生健康支出"), ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗"),
    ("221", "住房保障支出"), ("22102", "住房改革支出"), ("2210201", "住房公积金补贴"),  # a different name
    ("301", "工资福利支出"), ("30101", "基本工资"),
]


def test_bundled_catalogue_is_partial_and_unofficial():
    cat = catalogue("function", 2024)
    assert not cat.official
    assert cat.name("2080505") == "机关事业单位基本养老保险缴费支出"
    assert cat.name("2299999") == "其他支出"
    assert classify("2080505") == "function" and classify("30101") == "econ" and classify("50101") == "econ_gov"


def test_import_from_a_workbook_then_unknown_codes_are_warnings(cli, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年政府收支分类科目"])
    ws.append(["科目编码", "科目名称", "说明"])
    for code, name in OFFICIAL_2024:
        ws.append([code, name, ""])
    wb.save(tmp_path / "科目表.xlsx")
    env = {"BUDGET_XL_DATA": str(tmp_path / "data")}
    out = cli("codes", "import", tmp_path / "科目表.xlsx", "--year", "2024", env=env)
    assert out.returncode == 0, out.stderr
    assert "支出功能分类科目 14 个" in out.stdout and "部门预算支出经济分类科目 2 个" in out.stdout
    res = cli("check", FINAL_2024, env=env)
    assert res.returncode == 0
    # 2080506 is not in the imported list: a warning (with the bundled list it is not even a note)
    assert res.stdout.count("编码 2080506 不在已导入的 2024 年科目表中") == 3
    # a name that differs from the official list is a warning naming the official one
    assert "在科目表中的名称是“住房公积金补贴”" in res.stdout


def test_import_csv_with_one_code_name_column(cli, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("科目\n2080505-机关事业单位基本养老保险缴费支出\n208-社会保障和就业支出\n", encoding="gb18030")
    out = cli("codes", "import", path, "--year", "2025", env={"BUDGET_XL_DATA": str(tmp_path / "d")})
    assert out.returncode == 0 and "支出功能分类科目 2 个" in out.stdout


def test_import_rejects_a_file_without_codes(cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    out = cli("codes", "import", path, "--year", "2025", env={"BUDGET_XL_DATA": str(tmp_path / "d")})
    assert out.returncode == 2 and "没有找到科目编码" in out.stderr

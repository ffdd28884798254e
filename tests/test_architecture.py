"""The shape of the package, kept by tests: layers that only import downwards, small modules, no
borrowing of another module's private names, one home for the code grammar."""
import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "budget_xl"

# Lowest first. A unit (top-level module or subpackage) may import only from lower layers.
LAYERS = [
    {"errors", "text", "money", "formats", "gcpause", "classification"},
    {"files"},
    {"templates", "percent"},
    {"layout", "model", "codes"},
    {"performance"},          # the model of 绩效 forms: above model (CellRef), below the reader that makes it
    {"structure", "references", "reader", "derive_rows"},
    {"rules", "derive", "code_import"},
    {"batch", "narrative", "diff"},
    {"report"},
    {"pipeline"},
    {"cli", "budget_xl"},
    {"__main__"},
]
LAYER = {unit: i for i, units in enumerate(LAYERS) for unit in units}
MAX_LINES = 450


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        yield path, name, package, ast.parse(path.read_text(encoding="utf-8"))


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _imports(package: str, tree: ast.AST):
    """(imported module, names) of every relative import."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            yield ".".join(base + ([node.module] if node.module else [])), [a.name for a in node.names]


def test_every_unit_has_a_layer():
    units = {_unit(name) for _, name, _, _ in _modules()}
    assert units <= set(LAYER), f"add to LAYERS: {units - set(LAYER)}"


def test_imports_only_go_down():
    upward = []
    for path, name, package, tree in _modules():
        for target, _ in _imports(package, tree):
            a, b = _unit(name), _unit(target)
            if a != b and LAYER[b] >= LAYER[a]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}: {a} → {b}")
    assert not upward, "\n".join(upward)


def test_no_module_borrows_private_names():
    borrowed = []
    for path, _, package, tree in _modules():
        for target, names in _imports(package, tree):
            borrowed += [f"{path.name}: {target}.{n}" for n in names if n.startswith("_") and n != "__version__"]
    assert not borrowed, borrowed


def test_modules_stay_small():
    big = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"split these: {big}"


def test_the_code_grammar_lives_in_classification_only():
    """Parents, 类 and levels of a code are asked of budget_xl.classification, not sliced anew."""
    pattern = re.compile(r"code\[:-2\]|code\[:3\]|\{3: \"类\"|\(3, 5, 7\)")
    found = [f"{p.relative_to(PACKAGE)}:{i}" for p in PACKAGE.rglob("*.py") if p.name != "classification.py"
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not found, found


def test_every_subpackage_is_shipped():
    """pyproject.toml lists the packages a wheel holds: a new subpackage missing there works in a
    checkout and fails once installed."""
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {found - listed}"

"""The package layout is a boundary: text rules never load what draws, so cards, the site and `check` start quick."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import builder.text

DRAWING = ("reportlab", "fontTools", "svglib", "ziamath", "genanki")


def test_no_text_module_imports_a_drawing_library() -> None:
    modules = [f"builder.text.{info.name}" for info in pkgutil.iter_modules(builder.text.__path__)]
    assert len(modules) >= 5, modules
    probe = (
        f"import sys\nfor name in {modules!r}: __import__(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({DRAWING!r})))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]", f"builder.text loads {loaded}"


OWN = ("self", "os")  # a class's own state; os._exit is public in all but name


def _private_uses(path: Path) -> list[str]:
    """Where a module reads another object's underscored name or whole state: `x._name`, `getattr(x, "_name")`,
    `vars(x)`, `x.__dict__`, or imports an underscored name of ReportLab's."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        owner: ast.expr | None = None
        name: object = None
        if isinstance(node, ast.Attribute):
            owner, name = node.value, node.attr
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr"):
            arg = node.args[1]
            owner, name = node.args[0], arg.value if isinstance(arg, ast.Constant) else None
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
            found += [f"{path.name}:{node.lineno}: {alias.name}" for alias in node.names if alias.name.startswith("_")]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "vars":
            owner, name = node.args[0] if node.args else None, "vars()"
        mine = isinstance(owner, ast.Name) and owner.id in OWN
        private = isinstance(name, str) and (
            name in ("vars()", "__dict__") or (name.startswith("_") and not name.startswith("__"))
        )
        if private and not mine:
            found.append(f"{path.name}:{getattr(node, 'lineno', 0)}: {name}")
    return found


def test_only_the_internals_module_reads_reportlabs_private_state() -> None:
    root = Path(builder.text.__file__).resolve().parent.parent
    inside = _private_uses(root / "sheet" / "internals.py")
    assert len(inside) >= 3, inside  # the probe sees what it looks for
    outside = [use for path in sorted(root.rglob("*.py")) if path.name != "internals.py" for use in _private_uses(path)]
    assert outside == []

"""The package layout is a boundary: text rules never load what draws, so cards, the site and `check` start quick."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

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

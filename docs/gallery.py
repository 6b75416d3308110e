"""Regenerate docs/gallery.md: every corpus topic's sheet as a small picture (needs the test extra).

python docs/gallery.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from builder.content.gather import gather

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
IMAGES = ROOT / "docs" / "gallery"
PAGE = ROOT / "docs" / "gallery.md"
SCALE = 0.75


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
        command = [sys.executable, "-m", "builder", "build", str(CORPUS), "--out", out, "--quiet"]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        IMAGES.mkdir(exist_ok=True)
        rows = []
        for topic in gather([CORPUS]).topics:
            image = IMAGES / f"{topic.id}.png"
            page = pdfium.PdfDocument(str(Path(out) / f"{topic.id}.pdf"))[0]
            page.render(scale=SCALE).to_pil().convert("L").save(image, optimize=True)
            steps = sum(len(s.steps) for s in topic.sequences)
            parts = {"mnemonics": topic.mnemonics, "analogies": topic.analogies, "snippets": topic.snippets}
            extras = [f"{len(items)} {kind}" for kind, items in parts.items() if items]
            facts = ", ".join([f"{len(topic.sequences)} sequences, {steps} steps", *extras])
            rows.append(
                f"### {topic.title}\n\n`tests/corpus/{Path(topic.source).name}`: {facts}.\n\n"
                f"![{topic.title}](gallery/{image.name})\n"
            )
    PAGE.write_text(
        "# Gallery: what the builder makes of many kinds of topic\n\n"
        "Every topic of the test corpus (`tests/corpus/`), as its one-page sheet, in greyscale as it\n"
        "prints. Regenerate with `python docs/gallery.py` after a change to the sheet.\n\n" + "\n".join(rows),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()

"""Render a built cheat sheet to PNG (needs the test extra: pypdfium2).

python docs/render-sheet.py dist/pytorch-training-loop.pdf docs/images/pytorch-sheet.png
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium


def main(pdf: str, png: str, scale: float = 2.0) -> None:
    pdfium.PdfDocument(pdf)[0].render(scale=scale).to_pil().save(png, optimize=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    if not Path(sys.argv[1]).is_file():
        raise SystemExit(f"{sys.argv[1]}: no such PDF; build it first with: python -m builder build")
    main(sys.argv[1], sys.argv[2])

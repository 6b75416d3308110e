"""The author preview, opened in a real headless Chromium: counts, night mode, phone width, live reload."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import CONTENT, FIXTURES, ROOT, run_cli

from builder.content.gather import gather
from builder.deck.cards import notes

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = "Chromium is missing: apt-get install chromium (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: PREVIEW_SCREENSHOTS when set (to look at them), else a temporary folder."""
    folder = os.environ.get("PREVIEW_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview-out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
        code, stdout, err = run_cli(
            "preview", str(CONTENT), str(FIXTURES / "literal.yaml"), "--out", str(out), "--jobs", "1"
        )
    assert code == 0, err
    assert stdout.strip() == str(out / "preview" / "index.html")
    return out


def open_page(browser: Browser, url: str, width: int = 1280) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page, errors


def test_preview_writes_only_its_page(preview: Path) -> None:
    assert sorted(p.name for p in preview.iterdir()) == ["preview"]
    text = (preview / "preview" / "index.html").read_text()
    assert not re.search(r"""(src|href)=["']https?://""", text), "the page must not load anything from the network"


def test_preview_links_the_course_site_without_downloads(browser: Browser, preview: Path) -> None:
    site = preview / "preview" / "site"
    assert (site / "index.html").is_file() and (site / "style.css").is_file()
    page, errors = open_page(browser, (preview / "preview" / "index.html").as_uri())
    page.get_by_role("link", name="The course as web pages").click()
    assert page.url == (site / "index.html").as_uri()
    for source in (CONTENT, FIXTURES / "literal.yaml"):
        topic = gather([source]).topics[0]
        assert page.get_by_role("link", name=topic.title).count() >= 1, topic.title
        assert (site / f"{topic.id}.html").is_file()
    assert ".apkg" not in (site / "index.html").read_text(encoding="utf-8"), "a preview has no downloads to offer"
    assert errors == []
    page.close()


def test_page_shows_every_card_by_topic_with_no_console_errors(browser: Browser, preview: Path, shots: Path) -> None:
    page, errors = open_page(browser, (preview / "preview" / "index.html").as_uri())
    for source in (CONTENT, FIXTURES / "literal.yaml"):
        topic = gather([source]).topics[0]
        expected = len(notes(topic))
        section = page.locator(f'section[data-topic="{topic.id}"]')
        assert section.locator(".pair").count() == expected
        assert section.locator("img.sheet").evaluate("img => img.naturalWidth") > 1000
    kinds = [k.lower() for k in page.locator('section[data-topic="pytorch-training-loop"] h3.kind').all_inner_texts()]
    assert kinds == ["term", "next step", "previous step", "whole sequence", "mnemonic", "analogy", "code"]
    assert "<script>alert(1)</script>" in page.locator('section[data-topic="literal-text"]').inner_text()
    assert errors == []
    page.screenshot(path=str(shots / "preview-light.png"))
    page.close()


def test_night_toggle_changes_the_card_background(browser: Browser, preview: Path, shots: Path) -> None:
    page, errors = open_page(browser, (preview / "preview" / "index.html").as_uri())
    card = page.locator(".card").first
    before = card.evaluate("c => getComputedStyle(c).backgroundColor")
    page.check("#night")
    after = card.evaluate("c => getComputedStyle(c).backgroundColor")
    assert before != after and after == "rgb(30, 33, 38)"
    assert card.evaluate("c => c.classList.contains('nightMode') && c.classList.contains('night_mode')")
    page.locator(
        'section[data-topic="pytorch-training-loop"] .pair[data-kind="whole-sequence"]'
    ).first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "preview-night.png"))
    assert errors == []
    page.close()


def test_no_card_overflows_at_phone_width(browser: Browser, preview: Path, shots: Path) -> None:
    page, errors = open_page(browser, (preview / "preview" / "index.html").as_uri(), width=800)
    page.check("#phone")
    widths = page.locator(".side").evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth])")
    assert widths and all(w == 375 for _, w in widths)
    overflowing = [w for w in widths if w[0] > w[1] + 1]
    assert overflowing == []
    assert page.locator(".card.mobile").count() == page.locator(".card").count()
    page.screenshot(path=str(shots / "preview-phone.png"))
    assert errors == []
    page.close()


def test_watch_rebuilds_and_the_open_page_reloads(browser: Browser, tmp_path: Path) -> None:
    topic = tmp_path / "content" / "tiny.yaml"
    topic.parent.mkdir()
    topic.write_text((FIXTURES / "minimal.yaml").read_text())
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "builder",
            "preview",
            "--watch",
            str(topic.parent),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )
    try:
        assert proc.stdout is not None
        url = None
        deadline = time.monotonic() + 90
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            found = re.match(r"serving (http://127\.0\.0\.1:\d+/index\.html)", line)
            url = found.group(1) if found else None
        assert url, "the watch never said where it serves"
        page, errors = open_page(browser, url)
        assert "Tiny topic" in page.locator("h2").first.inner_text()
        time.sleep(0.5)
        topic.write_text(topic.read_text().replace("title: Tiny topic", "title: Renamed topic"))
        page.wait_for_function(
            "document.querySelector('h2') && document.querySelector('h2').innerText.includes('Renamed topic')",
            timeout=60_000,
        )
        assert proc.stdout.readline().strip().endswith("index.html rebuilt")
        topic.write_text("format: 1\nid: Bad Id\n")
        assert proc.stdout.readline().strip() == "not rebuilt:"
        assert proc.poll() is None, "a bad save must not stop the watch"
        assert errors == []
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    code, _, err = run_cli("preview", str(FIXTURES / "minimal.yaml"), "--out", str(tmp_path), "--jobs", "1")
    assert code == 1
    assert "the preview needs the 'pypdfium2' package" in err and "[preview]" in err

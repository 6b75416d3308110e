"""The course site of a release, opened in Chromium: links, what each page holds, phone width, dark mode, axe."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import CONTENT, CORPUS, EPOCH, run_cli
from test_preview import CHROMIUM, FLAGS

from builder.content.gather import gather
from builder.content.model import Picture, Topic
from builder.text.marks import plain

if TYPE_CHECKING:
    from playwright.sync_api import Browser

COURSE = "Corpus Course"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is missing: apt-get install chromium (.ci/run does)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Topic], Path]:
    """The corpus and the repository's topic released as one course (copied out of the repository's git)."""
    content = tmp_path_factory.mktemp("content")
    for path in [*CORPUS.glob("*.yaml"), *CONTENT.glob("*.yaml")]:
        if path.name != "course.yaml":
            shutil.copy(path, content / path.name)
    shutil.copytree(CORPUS / "pictures", content / "pictures")
    out = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code, _, err = run_cli("release", str(content), "--out", str(out), "--name", COURSE, "--jobs", "1")
    assert code == 0, err
    return list(gather([content]).topics), out / "release" / "site"


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def test_every_link_and_picture_resolves_and_nothing_is_remote(course: tuple[list[Topic], Path]) -> None:
    topics, site = course
    assert {p.name for p in pages(site)} >= {"index.html", *(f"{t.id}.html" for t in topics)}
    checked = 0
    for page in pages(site):
        text = page.read_text()
        assert "<script" not in text and not re.search(r"""(src|href)=["'](https?:)?//""", text), page.name
        for target in re.findall(r"""(?:src|href)="([^"#]+)""", text):
            if target.startswith("data:"):
                continue
            assert (page.parent / target).resolve().is_file(), (page.name, target)
            checked += 1
    assert checked > 5 * len(topics)


def test_every_topic_page_holds_its_topic(browser: Browser, course: tuple[list[Topic], Path]) -> None:
    topics, site = course
    page = browser.new_page()
    for topic in topics:
        page.goto((site / f"{topic.id}.html").as_uri())
        text = " ".join(page.locator("main").inner_text().split())
        assert page.locator("html").get_attribute("lang") == topic.lang
        wanted = [s.name for seq in topic.sequences for s in seq.steps]
        wanted += [c.letter for m in topic.mnemonics for c in m.cues]
        wanted += [t for a in topic.analogies for p in a.pairs for t in (p.like, p.detail) if t]
        wanted += [t for term in topic.terms for t in (term.term, term.means)]
        for want in wanted:
            if "\\(" not in want and "\\[" not in want:
                assert " ".join(plain(want).split()) in text, (topic.id, want)
        steps = page.locator("ol.steps > li").count()
        assert steps == sum(len(seq.steps) for seq in topic.sequences), topic.id
        marked = [u.lower() for u in page.locator(".phrase u").all_inner_texts()]
        assert marked == [c.letter.lower() for m in topic.mnemonics for c in m.cues], topic.id
        assert page.locator("table tbody tr").count() == sum(len(a.pairs) for a in topic.analogies)
        alts = page.locator("img").evaluate_all("imgs => imgs.map(i => [i.alt, i.naturalWidth > 0])")
        assert sorted(a for a, _ in alts) == sorted(p.alt for p in _shown_pictures(topic)), topic.id
        assert all(shown for _, shown in alts), topic.id
        assert page.locator("svg.diagram").count() == len(topic.sequences)
    page.close()


def _shown_pictures(topic: Topic) -> list[Picture]:
    found = [topic.image]
    for seq in topic.sequences:
        found += [seq.image, *(s.image for s in seq.steps)]
    found += [p.image for a in topic.analogies for p in a.pairs] + [t.image for t in topic.terms]
    return [p for p in found if p is not None]


def test_no_page_scrolls_sideways_at_phone_width(browser: Browser, course: tuple[list[Topic], Path]) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    wide = []
    for path in pages(course[1]):
        page.goto(path.as_uri())
        if page.evaluate("document.documentElement.scrollWidth") > 375:
            wide.append(path.name)
    page.close()
    assert wide == []


def test_dark_mode_changes_the_colours(browser: Browser, course: tuple[list[Topic], Path]) -> None:
    colours = []
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        page.goto((course[1] / "pytorch-training-loop.html").as_uri())
        colours.append(
            page.evaluate(
                "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color,"
                " getComputedStyle(document.querySelector('svg.diagram .dg-box')).fill]"
            )
        )
        page.close()
    assert all(day != night for day, night in zip(*colours, strict=True)), colours
    assert colours[1][0] == "rgb(30, 33, 38)"


def test_axe_finds_no_wcag_violations(browser: Browser, course: tuple[list[Topic], Path]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page()
    found = {}
    for path in pages(course[1]):
        page.goto(path.as_uri())
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.response["passes"], path.name  # axe ran its rules
        if results.violations_count:
            found[path.name] = results.generate_report()
    page.close()
    assert found == {}

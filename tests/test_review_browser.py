"""The review page in a real browser: Debian's chromium, headless (``make test`` installs it).

The page of a notice that carries ``<script>`` and an ``onerror`` image is loaded from disk;
the DOM after rendering must hold every highlight and the drawn timeline, and no script
may have run (a control page shows this browser does run scripts). A screenshot is saved
under the test's temporary folder and must show the highlight and timeline colours.
Set NOTICES_SKIP_BROWSER=1 to skip on a machine without chromium.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.review import build_site, page_name
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import RAW_DIR
from tests.test_review import TITLE_SCRIPT, make_evil_notice

CHROMIUM = Path(os.environ.get("NOTICES_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio"]


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("NOTICES_SKIP_BROWSER") == "1":
            pytest.skip("chromium not installed and NOTICES_SKIP_BROWSER=1")
        pytest.fail(f"{CHROMIUM} not found: run `make test` (it installs Debian's chromium) "
                    "or set NOTICES_SKIP_BROWSER=1")
    return CHROMIUM


def _browse(chromium, tmp_path, url: str, *extra: str) -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    res = subprocess.run([str(chromium), *FLAGS, f"--user-data-dir={profile}", *extra, url],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


class _Dom(HTMLParser):
    """Elements of a serialised DOM as (tag, attrs) in document order, and the <title> text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title" and len(self.find("title")) == 1  # the page's, not SVG tooltips

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def find(self, tag: str, cls: str | None = None) -> list[dict]:
        return [a for t, a in self.elements if t == tag and (cls is None or cls in (a.get("class") or "").split())]


@pytest.fixture(scope="module")
def evil_page(tmp_path_factory):
    base = tmp_path_factory.mktemp("browser")
    src = base / "in"
    src.mkdir()
    shutil.copy(RAW_DIR / "001_6bd54b02e90ae4ce.txt", src)
    make_evil_notice(src)
    out = base / "out"
    run([src], out, workers=1)
    store = Store(out)
    doc = next(d for d in store.read_table("documents").to_pylist() if TITLE_SCRIPT in d["text"])
    counts = {t: sum(1 for r in store.read_table(t).to_pylist() if r["doc_id"] == doc["doc_id"])
              for t in ("tasks", "units", "dates", "targets")}
    dated = sum(1 for r in store.read_table("dates").to_pylist()
                if r["doc_id"] == doc["doc_id"] and (r["start"] or r["end"]))
    build_site(out, base / "report")
    return base / "report" / page_name(doc["doc_id"]), counts, dated


def test_browser_executes_scripts_on_a_control_page(chromium, tmp_path):
    control = tmp_path / "control.html"
    control.write_text("<!DOCTYPE html><html><body><script>document.body.setAttribute('data-ran','1')</script>"
                       "</body></html>", encoding="utf-8")
    dom = _Dom(_browse(chromium, tmp_path, control.as_uri(), "--dump-dom"))
    assert dom.find("body")[0].get("data-ran") == "1"


def test_rendered_page_has_highlights_timeline_and_no_executed_script(chromium, evil_page, tmp_path):
    page, counts, dated = evil_page
    rendered = _browse(chromium, tmp_path, page.as_uri(), "--dump-dom")
    dom = _Dom(rendered)
    for kind in ("unit", "date", "target"):
        marks = [a for a in dom.find("mark", f"hl-{kind}") if a.get("id", "").startswith(f"{kind}-")]
        assert len(marks) == counts[kind + "s"], kind
        assert len({a["id"] for a in marks}) == len(marks)
    assert len([a for a in dom.find("span", "task") if a.get("id")]) == counts["tasks"]
    assert len(dom.find("svg", "timeline")) == 1
    items = dom.find("g", "tl-item")
    assert len(items) == dated > 0
    assert len(dom.find("rect", "tl-mark")) + len(dom.find("circle", "tl-mark")) + len(dom.find("path", "tl-mark")) >= dated
    # every timeline item links to a highlighted date
    ids = {a["id"] for a in dom.find("mark", "hl-date")}
    assert {a["data-item"] for a in items} <= ids
    # the notice's scripts are text: no element was created from them and none ran
    assert dom.find("script") == [] and dom.find("img") == []
    assert "data-pwned" not in dom.find("body")[0]
    # the page title is the document's title as found (a title line with markup in it may not be
    # taken as the title), shown as text
    assert dom.title != "PWNED" and dom.title.startswith("关于印发《嘉定区2021年第四季度" + TITLE_SCRIPT) \
        or dom.title.startswith("嘉定区2021年第四季度工会重点工作提示")
    assert "&lt;script&gt;document.body.setAttribute" in rendered


def test_escaping_alone_keeps_scripts_inert(chromium, evil_page, tmp_path):
    """Without the page's Content-Security-Policy, the escaped text still does not run."""
    page, _, _ = evil_page
    bare = tmp_path / "no-csp.html"
    markup = page.read_text(encoding="utf-8")
    stripped = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", markup)
    assert stripped != markup
    bare.write_text(stripped, encoding="utf-8")
    dom = _Dom(_browse(chromium, tmp_path, bare.as_uri(), "--dump-dom"))
    assert dom.find("script") == [] and "data-pwned" not in dom.find("body")[0] and dom.title != "PWNED"


def test_screenshot_shows_the_highlights_and_the_timeline(chromium, evil_page, tmp_path):
    from PIL import Image

    page, _, _ = evil_page
    shot = tmp_path / "page.png"
    _browse(chromium, tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1280,6000")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(shot) as im:
        colours = {c for _, c in im.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert im.size == (1280, 6000)
    for name, rgb in {"unit": (0x7a, 0xec, 0xec), "date": (0xbf, 0xe1, 0xd9), "target": (0xfe, 0xca, 0x74),
                      "period bar": (0x4f, 0x9d, 0x8f), "deadline flag": (0xcf, 0x22, 0x2e)}.items():
        assert rgb in colours, f"no {name} colour in the screenshot"

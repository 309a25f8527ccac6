"""The catalog in a real headless browser: Debian's chromium, driven by playwright.

.ci/run installs chromium when it is missing; here, without it, the test is skipped.
The screenshot of the orders example is written to test-output/orders.png.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main
from evtc.frontend import compile_file

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = ROOT / "test-output"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
)


def test_the_catalog_loads_without_errors_links_work_and_the_drawing_is_there(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    site = tmp_path / "site"
    assert CliRunner().invoke(main, ["docs", str(ROOT / "examples"), "-o", str(site)]).exit_code == 0
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((site / "index.html").as_uri())
        page.click("text=orders")
        assert page.url.endswith("/orders/index.html")
        drawing = page.locator("svg.evtc-graph")
        assert drawing.count() == 1
        box = drawing.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 50
        nodes = len(compile_file(ROOT / "examples/orders.evt").graph.nodes)
        assert nodes >= 11 and page.locator("svg.evtc-graph [data-node]").count() == nodes
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "orders.png"), full_page=True)
        page.click("svg.evtc-graph [data-node='function:billing']")  # the drawing links to its components
        assert page.url.endswith("/orders/components/billing.html")
        assert "What each path guarantees" in page.content()
        page.click("text=OrderPlaced")
        assert page.url.endswith("/orders/events/OrderPlaced.html")
        browser.close()
    assert errors == []
    assert (OUTPUT / "orders.png").stat().st_size > 10_000

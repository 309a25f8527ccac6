"""`evtc docs`: a self-contained catalog whose every link resolves, with each page's facts."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.cli import main
from evtc.export.validate import payload_checker
from evtc.frontend import compile_file

ROOT = Path(__file__).resolve().parents[2]


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.refs.append(value)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(main, ["docs", str(ROOT / "examples"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote ") and str(out / "index.html") in result.output
    return out


def test_every_link_resolves_and_nothing_is_fetched(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in parser.refs:
            assert not re.match(r"^[a-z]+://", ref), f"{page}: {ref} needs the network"
            assert (page.parent / ref.split("#")[0]).resolve().is_file(), f"{page}: broken link {ref}"


def test_the_orders_pages_say_what_the_compiler_knows(site: Path) -> None:
    topology = (site / "orders" / "index.html").read_text()
    assert "<svg" in topology and 'href="components/billing.html"' in topology
    event = (site / "orders" / "events" / "OrderPlaced.html").read_text()
    assert "customer_email" in event and "@sensitive" in event
    assert "order_events -&gt; fraud_jobs" in event and "&#34;numeric&#34;" in event  # the compiled SNS policy
    assert 'href="../components/checkout.html"' in event and 'href="../components/fraud_check.html"' in event
    billing = (site / "orders" / "components" / "billing.html").read_text()
    assert "in order per order_id" in billing and "checkout.OrderPlaced" in billing


def test_each_example_payload_is_valid_under_its_schema(site: Path) -> None:
    for path in sorted((ROOT / "examples").glob("*.evt")):
        t = compile_file(path).topology
        for event in t.events:
            page = (site / t.name / "events" / f"{event.name}.html").read_text()
            example = re.search(r"<h2>Example payload</h2><pre>(.*?)</pre>", page, re.S)
            assert example is not None
            data = json.loads(example.group(1).replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&"))
            assert payload_checker(event)(data) is None, (path.name, event.name)


def test_diagnostics_are_listed(tmp_path: Path) -> None:
    (tmp_path / "warn.evt").write_text(
        "topology warn\nevent E { n: number }\nsource a: app { emits: [E] }\nqueue q {}\n"
        'function f { handler: "x:y" }\nroute a.E -> q\nroute q -> f\n'
    )
    out = tmp_path / "site"
    assert CliRunner().invoke(main, ["docs", str(tmp_path / "warn.evt"), "-o", str(out)]).exit_code == 0
    assert "DLV001" in (out / "warn" / "index.html").read_text()


def test_a_file_that_does_not_compile_is_listed_with_its_errors(tmp_path: Path) -> None:
    (tmp_path / "broken.evt").write_text("topology broken\nqueue q { retention: banana }\n")
    shutil.copy(ROOT / "examples" / "orders.evt", tmp_path / "orders.evt")
    out = tmp_path / "site"
    assert CliRunner().invoke(main, ["docs", str(tmp_path), "-o", str(out)]).exit_code == 0
    index = (out / "index.html").read_text()
    assert "Files that do not compile" in index and "REF004" in index
    assert not (out / "broken").exists() and (out / "orders" / "index.html").is_file()

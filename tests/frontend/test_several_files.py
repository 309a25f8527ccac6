"""Topologies in several files (docs/language.md): an entry `use`s its parts; one namespace;
every diagnostic in the file it is about; the loader's own diagnostics (REF030-REF032)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from evtc.check.checker import check_paths
from evtc.cli import main
from evtc.frontend import compile_file
from evtc.frontend.load import LoadError, Memory, group, load_topology
from evtc.util.cache import Cache

ENTRY = 'topology shop\nuse "orders.evt"\nuse "team/billing.evt"\n'
ORDERS = """event OrderPlaced { order_id: string amount: number }
source checkout: app { emits: [OrderPlaced] }
queue order_jobs { retention: 4d visibility_timeout: 3m dead_letter: order_dlq }
queue order_dlq { retention: 14d }
"""
BILLING = """function billing { handler: "billing:run" timeout: 30s }
route checkout.OrderPlaced -> order_jobs when amount > 10
route order_jobs -> billing
"""


def write(folder: Path, **texts: str) -> Path:
    files = {"shop.evt": ENTRY, "orders.evt": ORDERS, "team/billing.evt": BILLING}
    files.update({name.replace("__", "/") + ".evt": text for name, text in texts.items()})
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def found(path: Path) -> list[tuple[str, str, int]]:
    result = check_paths([path])
    return sorted((Path(d.span.file).name, d.code, d.span.line) for d in result.diagnostics if not d.suppressed)


def test_names_resolve_across_the_files_of_a_topology(tmp_path: Path) -> None:
    write(tmp_path)
    compilation = compile_file(tmp_path / "shop.evt")
    assert compilation.topology.name == "shop"
    assert [Path(f).name for f in compilation.files] == ["shop.evt", "orders.evt", "billing.evt"]
    assert {c.name for c in compilation.topology.components} == {"checkout", "order_jobs", "order_dlq", "billing"}
    assert compilation.diagnostics == ()
    route = compilation.topology.routes[0]
    assert route.span.file == str(tmp_path / "team" / "billing.evt") and route.span.line == 2
    assert found(tmp_path) == []


@pytest.mark.parametrize("named", ["shop.evt", "orders.evt", "team/billing.evt", "."])
def test_any_file_or_the_folder_names_the_whole_topology(tmp_path: Path, named: str) -> None:
    write(tmp_path)
    (groups,) = [group([tmp_path / named])] if named != "." else [group(sorted(tmp_path.rglob("*.evt")))]
    assert [[Path(f).name for f in g.files] for g in groups] == [["shop.evt", "orders.evt", "billing.evt"]]


def test_a_duplicate_across_files_points_at_both(tmp_path: Path) -> None:
    write(tmp_path, team__billing=BILLING + "queue order_dlq {}\n")
    (duplicate,) = [d for d in check_paths([tmp_path]).diagnostics if d.code == "REF002"]
    assert (Path(duplicate.span.file).name, duplicate.span.line) == ("billing.evt", 4)
    (other,) = duplicate.related
    assert (Path(other.span.file).name, other.span.line) == ("orders.evt", 4)


def test_findings_are_in_the_file_they_are_about(tmp_path: Path) -> None:
    write(tmp_path, orders=ORDERS.replace(" dead_letter: order_dlq", ""))
    assert ("orders.evt", "DLV001", 3) in found(tmp_path)  # a queue without a dead letter, in its own file
    assert all(name != "billing.evt" or code != "DLV001" for name, code, _ in found(tmp_path))


def test_a_missing_part_is_a_diagnostic_with_position_and_hint(tmp_path: Path) -> None:
    write(tmp_path, shop=ENTRY + 'use "order.evt"\n')
    (missing,) = [d for d in check_paths([tmp_path / "shop.evt"]).diagnostics if d.code == "REF030"]
    assert (missing.span.line, missing.span.column, missing.span.end_column) == (4, 5, 16)
    assert "order.evt" in missing.message and missing.hint == "did you mean 'orders.evt'?"


def test_a_cycle_of_uses_is_diagnosed_not_followed_forever(tmp_path: Path) -> None:
    write(tmp_path, orders='use "team/billing.evt"\n' + ORDERS, team__billing='use "../orders.evt"\n' + BILLING)
    cycles = [d for d in check_paths([tmp_path]).diagnostics if d.code == "REF031"]
    assert len(cycles) == 1
    assert "orders.evt → " in cycles[0].message and cycles[0].message.endswith("orders.evt")


def test_a_part_cannot_be_a_topology(tmp_path: Path) -> None:
    write(tmp_path, orders="topology orders\n" + ORDERS, team__billing='use "../shop.evt"\n' + BILLING)
    codes = [(Path(d.span.file).name, d.code) for d in check_paths([tmp_path]).diagnostics if d.code == "REF032"]
    assert sorted(codes) == [("billing.evt", "REF032"), ("shop.evt", "REF032")]


def test_a_part_nobody_uses_is_missing_its_topology(tmp_path: Path) -> None:
    (tmp_path / "alone.evt").write_text(ORDERS, encoding="utf-8")
    (finding,) = [d for d in compile_file(tmp_path / "alone.evt").diagnostics if d.code == "SYN006"]
    assert "`use` it from that file" in finding.hint


def test_suppressions_and_per_file_ignores_stay_per_file(tmp_path: Path) -> None:
    unconsumed = "queue spare { retention: 4d dead_letter: order_dlq }\n"
    write(
        tmp_path,
        orders=ORDERS + unconsumed + "# evtc: ignore-file[DLV007]\n",
        team__billing=BILLING + unconsumed.replace("spare", "extra"),
    )
    result = check_paths([tmp_path])
    dlv007 = {(Path(d.span.file).name, d.suppressed) for d in result.diagnostics if d.code == "DLV007"}
    assert dlv007 == {("orders.evt", True), ("billing.evt", False)}
    (tmp_path / "pyproject.toml").write_text('[tool.evtc]\nper-file-ignores = { "team/*" = ["DLV007"] }\n')
    report = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(tmp_path / "shop.evt")]).output
    kept = [(Path(d["file"]).name, d["suppressed"]) for d in json.loads(report)["diagnostics"] if d["code"] == "DLV007"]
    assert kept == [("orders.evt", True)]  # billing.evt's is ignored by its configuration, orders.evt's by its comment


def test_the_check_cache_keys_on_every_file(tmp_path: Path) -> None:
    write(tmp_path)
    cache = Cache(tmp_path / ".cache")
    assert check_paths([tmp_path / "shop.evt"], cache=cache).exit_code == 0
    (tmp_path / "team" / "billing.evt").write_text(BILLING.replace("order_jobs ->", "order_job ->"))
    again = check_paths([tmp_path / "shop.evt"], cache=cache)
    assert "REF001" in [d.code for d in again.diagnostics]  # a part changed: not the cached "no problems"
    assert check_paths([tmp_path / "shop.evt"], cache=cache).diagnostics == again.diagnostics


def test_a_folder_of_several_topologies_is_refused_where_one_is_wanted(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "other.evt").write_text("topology other\n", encoding="utf-8")
    with pytest.raises(LoadError, match="holds 2 topologies"):
        load_topology(tmp_path)
    assert load_topology(tmp_path / "team").topology.name == "shop"  # a folder of parts: their topology


def test_files_in_memory_group_as_on_disk() -> None:
    files = {"a/shop.evt": ENTRY.encode(), "a/orders.evt": ORDERS.encode(), "a/team/billing.evt": BILLING.encode()}
    (found,) = group(["a/team/billing.evt"], Memory(files))
    assert found.files == ("a/shop.evt", "a/orders.evt", os.path.normpath("a/team/billing.evt"))


def test_check_formats_name_each_file(tmp_path: Path) -> None:
    write(tmp_path, orders=ORDERS.replace(" dead_letter: order_dlq", ""), team__billing=BILLING + "queue x {}\n")
    runner = CliRunner()
    report = json.loads(runner.invoke(main, ["check", "--no-cache", "--format", "json", str(tmp_path)]).output)
    assert {Path(d["file"]).name for d in report["diagnostics"]} == {"orders.evt", "billing.evt"}
    sarif = json.loads(runner.invoke(main, ["check", "--no-cache", "--format", "sarif", str(tmp_path)]).output)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert {u.rsplit("/", 1)[-1] for u in uris} == {"orders.evt", "billing.evt"}
    github = runner.invoke(main, ["check", "--no-cache", "--format", "github", str(tmp_path)]).output
    assert "billing.evt,line=4" in github and "orders.evt,line=3" in github


def test_a_use_of_a_folder_takes_every_file_in_it(tmp_path: Path) -> None:
    write(tmp_path, shop='topology shop\nuse "."\nuse "team"\n')
    compilation = compile_file(tmp_path / "shop.evt")
    assert [Path(f).name for f in compilation.files] == ["shop.evt", "orders.evt", "billing.evt"]
    assert found(tmp_path) == []


@pytest.mark.parametrize("word", ["import", "include"])
def test_another_language_s_import_says_use(tmp_path: Path, word: str) -> None:
    (tmp_path / "a.evt").write_text(f'topology t\n{word} "p.evt"\n', encoding="utf-8")
    (finding,) = compile_file(tmp_path / "a.evt").diagnostics
    assert finding.code == "SYN002" and finding.span.line == 2 and "`use`" in finding.message
    assert finding.hint.startswith('write `use "PATH"`')


def test_a_part_of_events_shared_by_two_topologies(tmp_path: Path) -> None:
    (tmp_path / "events.evt").write_text("event OrderPlaced { order_id: string }\n", encoding="utf-8")
    for name in ("shop", "audit"):
        (tmp_path / f"{name}.evt").write_text(
            f'topology {name}\nuse "events.evt"\nsource {name}_app: app {{ emits: [OrderPlaced] }}\n', encoding="utf-8"
        )
    groups = group([tmp_path / "events.evt"])
    assert sorted(g.name for g in groups) == ["audit", "shop"]
    assert all(compile_file(tmp_path / f"{n}.evt").diagnostics == () for n in ("shop", "audit"))


def test_fix_edits_each_file_of_the_topology_at_its_own_finding(tmp_path: Path) -> None:
    """Two queues on line 3 of two files: each file gets its own dead-letter queue."""
    entry = 'topology shop\nuse "orders.evt"\nqueue other_jobs { retention: 4d }\nfunction w { handler: "w:run" }\n'
    part = "event E { id: string }\nsource app: app { emits: [E] }\nqueue jobs { retention: 4d }\n"
    (tmp_path / "shop.evt").write_text(entry + "route app.E -> other_jobs\nroute other_jobs -> w\n")
    (tmp_path / "orders.evt").write_text(part + "route app.E -> jobs\nroute jobs -> w\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--fix", "--unsafe-fixes", str(tmp_path / "shop.evt")])
    assert "fixed 2 problems" in result.output
    assert "queue other_jobs_dlq" in (tmp_path / "shop.evt").read_text()
    assert "queue jobs_dlq" in (tmp_path / "orders.evt").read_text()
    assert check_paths([tmp_path]).diagnostics == ()


def test_routes_on_the_same_line_of_two_files_are_two_routes(tmp_path: Path) -> None:
    from evtc.plan import plan_of

    entry = 'topology t\nuse "p.evt"\nevent E { n: number }\nsource a: app { emits: [E] }\ntopic b {}\n'
    (tmp_path / "t.evt").write_text(entry + "route a -> b when n > 1\n")
    (tmp_path / "p.evt").write_text("\n" * 5 + "route a -> b when n < 0\n")
    compilation = compile_file(tmp_path / "t.evt")
    first, second = compilation.topology.routes
    assert first.span.line == second.span.line == 6 and first.id != second.id
    assert len(plan_of(compilation).routes) == 2


def test_a_named_type_declared_in_one_file_is_used_in_another(tmp_path: Path) -> None:
    (tmp_path / "t.evt").write_text('topology t\nuse "types.evt"\nevent Paid { price: Money }\n')
    (tmp_path / "types.evt").write_text("type Money { amount: number currency: string }\n")
    compilation = compile_file(tmp_path / "t.evt")
    assert compilation.diagnostics == ()
    (price,) = compilation.topology.event("Paid").fields
    assert [f.name for f in price.type.fields] == ["amount", "currency"]

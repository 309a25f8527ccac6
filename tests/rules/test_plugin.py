"""The example plugin: its entry point names its rule, and the rule works through the same
RuleSet machinery as the built-ins (loaded from the file, not installed, to stay fast)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from evtc.check.config import Config
from evtc.check.rulesdoc import missing_parts
from evtc.check.ruleset import Active, RuleSet
from evtc.frontend import compile_text

PLUGIN = Path(__file__).resolve().parents[2] / "examples" / "plugin"
SOURCE = """topology t
event Alert { text: string }
source monitor: app { emits: [Alert] }
topic alerts {}
endpoint ours: https { url: "https://hooks.example.com/a" }
endpoint theirs: https { url: "https://ingest.elsewhere.io/a" }
route monitor.Alert -> alerts
route alerts -> ours
route alerts -> theirs
"""


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evtc_example_plugin", PLUGIN / "evtc_example_plugin.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_entry_point_names_the_rule() -> None:
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["entry-points"]["evtc.rules"]["SEC901"]
    module_name, _, attribute = target.partition(":")
    rule = getattr(_module(), attribute)
    assert module_name == "evtc_example_plugin" and rule.code == "SEC901"
    assert missing_parts(rule) == []


def test_rule_reports_and_takes_options() -> None:
    rule = _module().EndpointOutsideAllowlist()
    compilation = compile_text(SOURCE, "t.evt")
    default = RuleSet((Active(rule, rule.severity, {"allowed_domains": ["example.com"]}),))
    found = default.run(compilation)
    assert [(d.code, d.span.line) for d in found] == [("SEC901", 6)]
    widened = RuleSet((Active(rule, rule.severity, {"allowed_domains": ["example.com", "elsewhere.io"]}),))
    assert widened.run(compilation) == []
    assert Config().enabled(rule.code, rule.name)

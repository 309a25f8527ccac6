"""Shared pytest machinery: the golden-file fixture and its regeneration flag."""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN_ROOT = Path(__file__).parent / "golden"
REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/golden/** from the current output instead of comparing",
    )


class Golden:
    """Compares text with a reviewed file under tests/golden, or rewrites it on --update-goldens."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, relative: str, actual: str) -> None:
        path = GOLDEN_ROOT / relative
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        if not path.exists():
            pytest.fail(f"missing golden file {path}; run pytest --update-goldens and review the diff")
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from {path} (pytest --update-goldens to accept)"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-goldens")))


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.evt"))

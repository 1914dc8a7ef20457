"""Shared pytest options and fixtures; keep it small."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.docx_build import portable, sample, standard

__all__ = ["portable", "sample", "standard"]  # fixtures: the sample's plan and its two DOCX renderings


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden and case files from the actual output (review the diff afterwards)",
    )


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep what builds cache (``commands.cache_dir``) in a folder of this test session, not the user's."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    patch.delenv("PUBLISH_NO_CACHE", raising=False)
    yield
    patch.undo()


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Return whether ``--update-golden`` was given."""
    return bool(request.config.getoption("--update-golden"))

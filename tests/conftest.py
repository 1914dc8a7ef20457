"""Shared pytest options and fixtures; keep it small."""

from __future__ import annotations

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


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Return whether ``--update-golden`` was given."""
    return bool(request.config.getoption("--update-golden"))

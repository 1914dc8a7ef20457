"""Helpers shared by the tests (golden files, summaries)."""

"""Tests of the case and programme reports (a package, so tests share conftest data)."""

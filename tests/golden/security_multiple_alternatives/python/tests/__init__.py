"""Tests of the SDK against a mock server of its API (see conftest.py)."""

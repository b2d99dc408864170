"""Tests of sync/ and sync/central: metrics, privacy, reports, outbox, client, the central.

Fixtures every test here shares come from tests/conftest.py; this level adds its own.
"""

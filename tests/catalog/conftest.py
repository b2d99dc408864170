"""Tests of hub/catalog: the store, search, file serving, packs and ZIMs.

Fixtures every test here shares come from tests/conftest.py; this level adds its own.
"""

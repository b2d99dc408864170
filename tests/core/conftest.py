"""Tests of hub/core: config, database and migrations, settings, the clock, i18n, text.

Fixtures every test here shares come from tests/conftest.py; this level adds its own.
"""

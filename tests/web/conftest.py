"""Tests of hub/web: pages, blueprints, security, limits, the served hub over HTTP.

Fixtures every test here shares come from tests/conftest.py; this level adds its own.
"""

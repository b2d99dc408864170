"""Tests of hub/learning: learners, events, progress, exercises, check-ins.

Fixtures every test here shares come from tests/conftest.py; this level adds its own.
"""

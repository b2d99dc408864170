"""Tests of hub/accounts: facilitator accounts, sign-in limits, observations.

Fixtures every test here shares come from tests/conftest.py; this level adds its own.
"""

"""Tests of hub/ops: jobs, USB, backups, the device, fault injection on the running hub.

Fixtures every test here shares come from tests/conftest.py; this level adds its own.
"""

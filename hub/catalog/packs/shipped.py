"""Where the publisher keys the hub ships trusted live, and the names they are shown under.

Apart from hub.catalog.packs.sign so that a fresh database can trust them (migration 0110)
without importing `cryptography`.
"""
from pathlib import Path

DEFAULT_KEYS_DIR = Path(__file__).resolve().parent / "trusted"
DEFAULT_NAMES = {"packs-ed25519": "Community Learning Hub"}  # file stem -> name shown as signer

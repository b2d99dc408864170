"""0110: publisher keys the hub trusts for pack signatures (owned by hub.catalog.packs.sign).

The project's own key (hub/catalog/packs/trusted/*.pub.pem, public half only) is trusted from the
start, so the bundled packs install as signed on a fresh hub and from `hub packs install`.
The shipped keys are read here without `cryptography`: a first start would otherwise load its
8 MB of native code into the server for good, only to read the 32 bytes of a key file the hub
ships itself (signatures are checked by hub.catalog.packs.sign, in the install's own process).
"""
import base64
import hashlib

from hub.core import clock
from hub.core.migrations import migrations

# DER of an Ed25519 SubjectPublicKeyInfo: this 12-byte header, then the 32-byte raw key.
ED25519_SPKI_HEADER = bytes.fromhex("302a300506032b6570032100")


def raw_ed25519(pem: bytes) -> bytes:
    """The 32-byte raw key of an Ed25519 public key in PEM; ValueError for anything else."""
    lines = [line.strip() for line in pem.decode("ascii").strip().splitlines()]
    if lines[:1] != ["-----BEGIN PUBLIC KEY-----"] or lines[-1:] != ["-----END PUBLIC KEY-----"]:
        raise ValueError("not a PEM public key")
    der = base64.b64decode("".join(lines[1:-1]), validate=True)
    if len(der) != 44 or not der.startswith(ED25519_SPKI_HEADER):
        raise ValueError("not an Ed25519 public key")
    return der[12:]


def shipped_keys() -> list[tuple[str, str, str]]:
    """(name, fingerprint, PEM) of each key the hub ships trusted, as sign.trust stores them."""
    from hub.catalog.packs.shipped import DEFAULT_KEYS_DIR, DEFAULT_NAMES

    keys = []
    for path in sorted(DEFAULT_KEYS_DIR.glob("*.pub.pem")):
        raw = raw_ed25519(path.read_bytes())
        der = base64.b64encode(ED25519_SPKI_HEADER + raw).decode()
        pem = f"-----BEGIN PUBLIC KEY-----\n{der}\n-----END PUBLIC KEY-----\n"
        name = DEFAULT_NAMES.get(path.name[: -len(".pub.pem")], path.name[: -len(".pub.pem")])
        keys.append((name, hashlib.sha256(raw).hexdigest(), pem))
    return keys


@migrations(name="0110_trusted_keys")
def trusted_keys(db):
    db.executescript(
        """
        CREATE TABLE trusted_keys (
            fingerprint TEXT PRIMARY KEY,   -- sha256 hex of the raw 32-byte Ed25519 public key
            name TEXT NOT NULL UNIQUE,      -- shown as the pack's signer
            public_key TEXT NOT NULL,       -- PEM (SubjectPublicKeyInfo)
            added_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'cli'   -- 'default' (shipped) or 'cli'
        );
        """
    )
    for name, fp, pem in shipped_keys():
        db.execute("INSERT OR IGNORE INTO trusted_keys (fingerprint, name, public_key, added_at, "
                   "source) VALUES (?, ?, ?, ?, 'default')", [fp, name, pem, clock.iso()])

"""0110: publisher keys the hub trusts for pack signatures (owned by hub.catalog.packs.sign).

The project's own key (hub/catalog/packs/trusted/*.pub.pem, public half only) is trusted from the
start, so the bundled packs install as signed on a fresh hub and from `hub packs install`.
"""
from hub.core.migrations import migrations


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
    from hub.catalog.packs import sign

    sign.trust_defaults(db)

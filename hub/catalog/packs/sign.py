"""Ed25519 pack signatures (pack.sig over the exact bytes of pack.json) and trusted keys.

pack.sig is three lines of text (see docs/pack-signing.md):

    hub-pack-signature/1
    key: <base64 of the signer's raw 32-byte Ed25519 public key>
    signature: <base64 of the raw 64-byte Ed25519 signature of pack.json>

Carrying the public key lets the hub tell a BAD signature (pack.json altered or the
signature forged: always refused) from a good one by an UNTRUSTED key (refused only when
unsigned packs are not allowed). All cryptography is the `cryptography` library's.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.packs.shipped import DEFAULT_KEYS_DIR, DEFAULT_NAMES
from hub.core import clock

HEADER = "hub-pack-signature/1"
SIGNATURE_FILE = "pack.sig"
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


class BadSignature(Exception):
    """pack.sig is malformed or does not match pack.json (always refused)."""


@dataclass(frozen=True)
class Verdict:
    """A signature that verifies: by which key, and whether the hub trusts it (name) or not."""

    fingerprint: str
    name: str | None  # the trusted key's name; None for a key the hub does not trust

    @property
    def trusted(self) -> bool:
        return self.name is not None


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """sha256 hex of the raw public key: how keys are named in pack.sig checks and lists."""
    return hashlib.sha256(public_key.public_bytes(*_RAW)).hexdigest()


def short(fp: str) -> str:
    """A fingerprint as people compare it: the first 16 hex digits in groups of four."""
    return ":".join(fp[i:i + 4] for i in range(0, 16, 4))


def load_public_pem(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM bytes; ValueError when it is something else."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ValueError(f"not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def load_private_key(path) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PKCS#8 PEM file; PackRefused with the reason otherwise."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise PackRefused([Problem(str(path), f"cannot read an unencrypted PEM private key ({exc})")]) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PackRefused([Problem(str(path), "is not an Ed25519 private key")])
    return key


def generate() -> tuple[bytes, bytes]:
    """A new key pair as (private PKCS#8 PEM, public PEM)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def signature_for(key: Ed25519PrivateKey, manifest: bytes) -> bytes:
    """The pack.sig text for these exact pack.json bytes."""
    public = base64.b64encode(key.public_key().public_bytes(*_RAW)).decode()
    sig = base64.b64encode(key.sign(manifest)).decode()
    return f"{HEADER}\nkey: {public}\nsignature: {sig}\n".encode()


def sign_folder(folder, key_path) -> tuple[Path, str]:
    """Write FOLDER/pack.sig for FOLDER/pack.json; return its path and the key's fingerprint."""
    key = load_private_key(key_path)
    manifest = Path(folder) / "pack.json"
    if not manifest.is_file():
        raise PackRefused([Problem("pack.json", f"is missing in {folder}")])
    target = Path(folder) / SIGNATURE_FILE
    target.write_bytes(signature_for(key, manifest.read_bytes()))
    return target, fingerprint(key.public_key())


def parse(blob: bytes) -> tuple[Ed25519PublicKey, bytes]:
    """(public key, raw signature) from pack.sig bytes; BadSignature when malformed."""
    try:
        lines = blob.decode("ascii").strip().splitlines()
        fields = dict(line.split(": ", 1) for line in lines[1:])
        if lines[0].strip() != HEADER or set(fields) != {"key", "signature"}:
            raise ValueError
        raw_key = base64.b64decode(fields["key"], validate=True)
        signature = base64.b64decode(fields["signature"], validate=True)
        if len(raw_key) != 32 or len(signature) != 64:
            raise ValueError
        return Ed25519PublicKey.from_public_bytes(raw_key), signature
    except (UnicodeDecodeError, ValueError, IndexError, binascii.Error):
        raise BadSignature(f"is not a pack signature (expected the {HEADER} format written by "
                           "`hub packs sign`)") from None


def verify(trusted: dict[str, str], manifest: bytes, blob: bytes) -> Verdict:
    """Check pack.sig against pack.json; `trusted` maps fingerprint -> key name."""
    public, signature = parse(blob)
    try:
        public.verify(signature, manifest)
    except InvalidSignature:
        raise BadSignature("does not match pack.json: the pack was changed after signing, "
                           "or the signature is forged") from None
    fp = fingerprint(public)
    return Verdict(fp, trusted.get(fp))


def check(db, manifest: bytes, blob: bytes | None, allow_unsigned: bool) -> tuple[str | None, list[Problem]]:
    """The install decision: (trusted signer's name or None, problems that refuse the pack)."""
    if blob is None:
        if allow_unsigned:
            return None, []
        return None, [Problem("pack.sig", "is missing: this hub installs signed packs only "
                                          "(HUB_ALLOW_UNSIGNED_PACKS is off)")]
    try:
        verdict = verify(trusted_fingerprints(db), manifest, blob)
    except BadSignature as bad:
        return None, [Problem("pack.sig", str(bad))]
    if verdict.trusted:
        return verdict.name, []
    if allow_unsigned:
        return None, []  # a good signature by an unknown key counts as unsigned
    return None, [Problem("pack.sig", f"is by key {short(verdict.fingerprint)}, which this hub does "
                                      "not trust (`hub keys trust PUBFILE` if you trust its publisher)")]


def trusted_fingerprints(db) -> dict[str, str]:
    """fingerprint -> name of every trusted key."""
    return dict(db.execute("SELECT fingerprint, name FROM trusted_keys").fetchall())


def trust(db, pem: bytes, name: str, source: str = "cli") -> dict:
    """Trust a public key under `name`; raise ValueError (bad key, name or key already there)."""
    key = load_public_pem(pem)
    name = name.strip()
    if not name:
        raise ValueError("a key needs a name")
    fp = fingerprint(key)
    clean = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    row = db.execute("SELECT name FROM trusted_keys WHERE fingerprint = ? OR name = ?", [fp, name]).fetchone()
    if row:
        raise ValueError(f"already trusted as {row[0]}" if row[0] != name else f"the name {name} is taken")
    db.execute("INSERT INTO trusted_keys (fingerprint, name, public_key, added_at, source) "
               "VALUES (?, ?, ?, ?, ?)", [fp, name, clean.decode(), clock.iso(), source])
    return {"name": name, "fingerprint": fp, "source": source}


def list_keys(db) -> list[dict]:
    """Every trusted key: name, fingerprint, added_at, source."""
    cursor = db.execute("SELECT name, fingerprint, added_at, source FROM trusted_keys ORDER BY name")
    return [dict(zip(("name", "fingerprint", "added_at", "source"), row)) for row in cursor]


def default_keys() -> list[tuple[str, bytes]]:
    """(name, PEM) of the keys the hub ships trusted: hub/catalog/packs/trusted/*.pub.pem."""
    stems = [(path.name[: -len(".pub.pem")], path) for path in sorted(DEFAULT_KEYS_DIR.glob("*.pub.pem"))]
    return [(DEFAULT_NAMES.get(stem, stem), path.read_bytes()) for stem, path in stems]


def trust_defaults(db) -> None:
    """Trust the shipped keys that are not trusted yet (first start)."""
    known = trusted_fingerprints(db)
    for name, pem in default_keys():
        if fingerprint(load_public_pem(pem)) not in known:
            trust(db, pem, name, source="default")


def verify_with_default_keys(manifest_path, sig_path) -> bool:
    """True when pack.sig is a good signature of pack.json by a key the hub ships trusted."""
    trusted = {fingerprint(load_public_pem(pem)): name for name, pem in default_keys()}
    try:
        return verify(trusted, Path(manifest_path).read_bytes(), Path(sig_path).read_bytes()).trusted
    except BadSignature:
        return False


def write_key_pair(prefix) -> tuple[Path, Path, str]:
    """Write PREFIX.pem (private, mode 0600) and PREFIX.pub.pem; refuse to overwrite."""
    private_path, public_path = Path(f"{prefix}.pem"), Path(f"{prefix}.pub.pem")
    for path in (private_path, public_path):
        if path.exists():
            raise PackRefused([Problem(str(path), "exists already; choose another --out prefix")])
    private, public = generate()
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private)
    public_path.write_bytes(public)
    return private_path, public_path, fingerprint(load_public_pem(public))

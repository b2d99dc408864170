"""Pack signatures: good, bad, untrusted, required; the project key trusted by default; keys CLI."""
from __future__ import annotations

import json
import stat

import pytest

from hub.catalog import store as catalog
from hub.core.db import open_hub_db
from hub.catalog.packs import install as packs
from hub.catalog.packs import sign
from hub.catalog.packs.errors import PackRefused
from cryptography.hazmat.primitives import serialization
from hub.catalog.packs.validate import validate
from tests.packfactory import PACK_ID, make_pack, read_manifest, write_manifest, zip_pack


@pytest.fixture
def db(data_dir):
    database = open_hub_db(data_dir)
    yield database
    database.conn.close()


@pytest.fixture
def publisher(tmp_path):
    """A publisher's key pair on disk: (private key path, public key path)."""
    private, public, _ = sign.write_key_pair(tmp_path / "partner")
    return private, public


@pytest.fixture
def signed(tmp_path, publisher):
    folder = make_pack(tmp_path / "numbers")
    sign.sign_folder(folder, publisher[0])
    return folder


def refused(db, data_dir, path, allow_unsigned) -> list[str]:
    with pytest.raises(PackRefused) as caught:
        packs.install(db, data_dir, path, allow_unsigned=allow_unsigned)
    assert catalog.get_pack(db, PACK_ID) is None
    return [str(p) for p in caught.value.problems]


def test_project_key_is_trusted_by_default(db):
    [row] = [k for k in sign.list_keys(db) if k["source"] == "default"]
    shipped = sign.load_public_pem(sign.default_keys()[0][1])
    assert row["name"] == "Community Learning Hub" and row["fingerprint"] == sign.fingerprint(shipped)
    assert b"PRIVATE" not in b"".join(pem for _, pem in sign.default_keys())


def test_good_signature_by_a_trusted_key_installs_as_signed(db, data_dir, tmp_path, signed, publisher):
    sign.trust(db, publisher[1].read_bytes(), "Partner")
    result = packs.install(db, data_dir, zip_pack(signed, tmp_path / "signed.zip"), allow_unsigned=False)
    assert result.signed_by == "Partner"
    assert catalog.get_pack(db, PACK_ID)["signed_by"] == "Partner"
    assert (data_dir / "packs" / PACK_ID / "1.0.0" / "pack.sig").read_bytes() == (signed / "pack.sig").read_bytes()


def test_bad_signature_is_always_refused(db, data_dir, signed, publisher):
    sign.trust(db, publisher[1].read_bytes(), "Partner")
    data = read_manifest(signed)
    data["title"]["en"] = "Numbers (edited after signing)"
    write_manifest(signed, data)
    expected = ("pack.sig: does not match pack.json: the pack was changed after signing, "
                "or the signature is forged")
    assert refused(db, data_dir, signed, allow_unsigned=True) == [expected]
    assert [str(p) for p in validate(signed)] == [expected]


def test_malformed_signature_is_refused(db, data_dir, signed):
    (signed / "pack.sig").write_bytes(b"\x00" * 64)   # a bare signature, not the pack.sig format
    assert refused(db, data_dir, signed, allow_unsigned=True) == [
        "pack.sig: is not a pack signature (expected the hub-pack-signature/1 format written by "
        "`hub packs sign`)"]


def test_untrusted_signer_installs_as_unsigned_when_unsigned_packs_are_allowed(db, data_dir, signed):
    result = packs.install(db, data_dir, signed, allow_unsigned=True)
    assert result.signed_by is None and catalog.get_pack(db, PACK_ID)["signed_by"] is None


def test_untrusted_signer_is_refused_when_signatures_are_required(db, data_dir, signed, publisher):
    short = sign.short(sign.fingerprint(sign.load_public_pem(publisher[1].read_bytes())))
    assert refused(db, data_dir, signed, allow_unsigned=False) == [
        f"pack.sig: is by key {short}, which this hub does not trust "
        "(`hub keys trust PUBFILE` if you trust its publisher)"]


def test_unsigned_pack_is_refused_when_signatures_are_required(db, data_dir, tmp_path):
    assert refused(db, data_dir, make_pack(tmp_path / "plain"), allow_unsigned=False) == [
        "pack.sig: is missing: this hub installs signed packs only (HUB_ALLOW_UNSIGNED_PACKS is off)"]


def test_keys_cli_generate_trust_list(runner, tmp_path):
    result = runner.invoke(["keys", "generate", "--out", str(tmp_path / "ngo")])
    assert result.exit_code == 0, result.output
    private, public = tmp_path / "ngo.pem", tmp_path / "ngo.pub.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and b"PRIVATE KEY" in private.read_bytes()
    assert runner.invoke(["keys", "generate", "--out", str(tmp_path / "ngo")]).exit_code == 1
    assert runner.invoke(["keys", "trust", str(public), "--name", "Health NGO"]).exit_code == 0
    again = runner.invoke(["keys", "trust", str(public)])
    assert again.exit_code == 1 and "already trusted as Health NGO" in again.stderr
    not_a_key = tmp_path / "junk.pem"
    not_a_key.write_text("hello")
    assert runner.invoke(["keys", "trust", str(not_a_key)]).exit_code == 1
    listed = json.loads(runner.invoke(["keys", "list", "--json"]).output)["keys"]
    assert {k["name"]: k["source"] for k in listed} == {"Community Learning Hub": "default", "Health NGO": "cli"}


def test_sign_cli_then_install_requires_and_finds_the_signature(runner, tmp_path, monkeypatch):
    folder = make_pack(tmp_path / "numbers")
    runner.invoke(["keys", "generate", "--out", str(tmp_path / "ngo")])
    monkeypatch.setenv("HUB_ALLOW_UNSIGNED_PACKS", "0")
    unsigned = runner.invoke(["packs", "install", str(folder)])
    assert unsigned.exit_code == 1 and "pack.sig: is missing" in unsigned.stderr
    signed = runner.invoke(["packs", "sign", str(folder), "--key", str(tmp_path / "ngo.pem")])
    assert signed.exit_code == 0 and (folder / "pack.sig").is_file()
    assert runner.invoke(["keys", "trust", str(tmp_path / "ngo.pub.pem"), "--name", "NGO"]).exit_code == 0
    done = runner.invoke(["packs", "install", str(folder)])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == f"installed {PACK_ID} 1.0.0 (signed by NGO)"


def test_a_fresh_hub_trusts_the_shipped_key_as_sign_would_store_it(tmp_path):
    """Migration 0110 reads the shipped key without cryptography: same fingerprint and PEM."""
    database = open_hub_db(tmp_path)
    try:
        rows = database.execute("SELECT name, fingerprint, public_key, source FROM trusted_keys").fetchall()
    finally:
        database.conn.close()
    name, pem = sign.default_keys()[0]
    key = sign.load_public_pem(pem)
    clean = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert rows == [(name, sign.fingerprint(key), clean.decode(), "default")]

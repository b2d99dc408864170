"""Pack upgrades keep their signer: a pack signed by key K is upgraded only by a pack signed by
K (or a key the facilitator explicitly allows), never by an unsigned one (issue 17)."""
from __future__ import annotations

import pytest

from hub.catalog import store as catalog
from hub.catalog.packs import install as packs
from hub.catalog.packs import sign
from hub.catalog.packs.errors import PackRefused
from hub.core.db import open_hub_db
from tests.packfactory import PACK_ID, make_pack, zip_pack


@pytest.fixture
def db(data_dir):
    database = open_hub_db(data_dir)
    yield database
    database.conn.close()


@pytest.fixture
def keys(tmp_path, db):
    """Two trusted publishers' private keys: (partner, other)."""
    found = []
    for name in ("partner", "other"):
        private, public, _ = sign.write_key_pair(tmp_path / name)
        sign.trust(db, public.read_bytes(), name.title())
        found.append(private)
    return found


def _pack(tmp_path, version: str, key=None):
    folder = make_pack(tmp_path / f"v{version}-{key.stem if key else 'unsigned'}", version=version)
    if key is not None:
        sign.sign_folder(folder, key)
    return zip_pack(folder, folder.with_suffix(".zip"))


def _refusal(db, data_dir, path, **options) -> str:
    with pytest.raises(PackRefused) as caught:
        packs.install(db, data_dir, path, allow_unsigned=True, **options)
    return " ".join(str(p) for p in caught.value.problems)


def test_an_unsigned_higher_version_of_a_signed_pack_is_refused(db, data_dir, tmp_path, keys):
    packs.install(db, data_dir, _pack(tmp_path, "1.0.0", keys[0]), allow_unsigned=True)
    why = _refusal(db, data_dir, _pack(tmp_path, "2.0.0"))
    assert "signed by Partner" in why and "unsigned" in why
    assert catalog.get_pack(db, PACK_ID)["version"] == "1.0.0"


def test_another_keys_higher_version_is_refused_unless_allowed(db, data_dir, tmp_path, keys):
    packs.install(db, data_dir, _pack(tmp_path, "1.0.0", keys[0]), allow_unsigned=True)
    other = _pack(tmp_path, "2.0.0", keys[1])
    assert "by Other" in _refusal(db, data_dir, other)
    assert catalog.get_pack(db, PACK_ID)["signed_by"] == "Partner"
    result = packs.install(db, data_dir, other, allow_unsigned=True, allow_new_signer=True)
    assert result.signed_by == "Other" and catalog.get_pack(db, PACK_ID)["version"] == "2.0.0"


def test_the_same_key_upgrades_and_an_unsigned_pack_stays_open(db, data_dir, tmp_path, keys):
    packs.install(db, data_dir, _pack(tmp_path, "1.0.0", keys[0]), allow_unsigned=True)
    assert packs.install(db, data_dir, _pack(tmp_path, "1.1.0", keys[0]),
                         allow_unsigned=True).signed_by == "Partner"
    packs.remove(db, data_dir, PACK_ID)
    packs.install(db, data_dir, _pack(tmp_path, "1.0.0"), allow_unsigned=True)
    # An unsigned pack has no signer to keep: a signed upgrade takes it.
    assert packs.install(db, data_dir, _pack(tmp_path, "3.0.0", keys[1]),
                         allow_unsigned=True).signed_by == "Other"


def test_the_cli_refuses_with_one_line_and_accepts_with_the_flag(runner, db, data_dir, tmp_path, keys):
    packs.install(db, data_dir, _pack(tmp_path, "1.0.0", keys[0]), allow_unsigned=True)
    unsigned = str(_pack(tmp_path, "2.0.0"))
    result = runner.invoke(["packs", "install", unsigned])
    assert result.exit_code == 1 and "pack.sig" in result.output and "--allow-new-signer" in result.output
    result = runner.invoke(["packs", "install", unsigned, "--allow-new-signer"])
    assert result.exit_code == 0, result.output
    assert catalog.get_pack(db, PACK_ID)["version"] == "2.0.0"

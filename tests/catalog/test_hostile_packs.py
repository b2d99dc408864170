"""Fuzzing the pack reader (hypothesis, bounded): pack.json parser, manifest checks, zip reader.

Whatever the bytes, the answer is a list of Problems (WHERE: WHY) or the module's own
PackRefused, never another exception; and nothing is written outside the staging folder.
"""
from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.catalog.packs import manifest, validate, zipsafe
from hub.catalog.packs.errors import PackRefused, Problem
from tests.packfactory import default_manifest, make_pack, zip_pack
from tests.helpers import fuzz_budget

FUZZ = settings(max_examples=fuzz_budget(200), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=16)


def problems_only(found) -> None:
    assert isinstance(found, list) and all(isinstance(p, Problem) and isinstance(p.where, str) and p.why for p in found)


@FUZZ
@given(raw=st.one_of(st.binary(max_size=400), json_values.map(lambda v: json.dumps(v).encode())))
def test_pack_json_parser_takes_any_bytes(raw):
    data, problems = manifest.parse(raw)
    problems_only(problems)
    assert (data is None) == bool(problems)
    if data is not None:
        problems_only(manifest.check(data))


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, prefix + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, prefix + (index,))


BASE = default_manifest()
PATHS = [p for p in _paths(BASE) if p]


@st.composite
def mutated_manifests(draw):
    """The valid default pack.json with one to three fields replaced by any JSON, or removed."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict) and draw(st.booleans()):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            pass
    return data


@FUZZ
@given(data=mutated_manifests())
def test_manifest_checks_take_any_shape(data):
    problems_only(manifest.check(data))


@pytest.fixture(scope="module")
def good_zip(tmp_path_factory) -> bytes:
    folder = make_pack(tmp_path_factory.mktemp("fuzz") / "pack")
    return zip_pack(folder, folder.parent / "pack.zip").read_bytes()


def _run_validate(tmp_path: Path, body: bytes) -> list[Problem]:
    path = tmp_path / "fuzzed.zip"
    path.write_bytes(body)
    before = sorted(p.name for p in tmp_path.iterdir())
    try:
        found = validate.validate(path)
    except PackRefused as refused:  # the module's own refusal is an allowed answer
        found = refused.problems
    problems_only(found)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # validating writes nothing
    return found


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=8),
       cut=st.one_of(st.none(), st.integers(0, 10**6)))
def test_the_zip_reader_takes_bit_flips_and_truncation(tmp_path, good_zip, flips, cut):
    body = bytearray(good_zip)
    for offset, xor in flips:
        body[offset % len(body)] ^= xor
    if cut is not None:
        body = body[: cut % len(body)]
    _run_validate(tmp_path, bytes(body))


@FUZZ
@given(body=st.binary(max_size=600))
def test_the_zip_reader_takes_any_bytes(tmp_path, body):
    assert _run_validate(tmp_path, body)  # never valid by chance


@pytest.mark.filterwarnings("ignore:Duplicate name")  # duplicates are one of the hostile cases
@FUZZ
@given(entries=st.lists(st.tuples(st.text(min_size=1, max_size=30), st.binary(max_size=50),
                                  st.integers(0, 0o177777)), min_size=1, max_size=6))
def test_hostile_entry_names_and_modes_are_problems(tmp_path, entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pack.json", json.dumps(BASE))
        for name, body, mode in entries:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            try:
                archive.writestr(info, body)
            except (ValueError, UnicodeEncodeError):
                continue  # a name zipfile itself cannot write
    found = _run_validate(tmp_path, buffer.getvalue())
    assert found  # hashes and sizes are missing at least
    infos = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).infolist()
    unsafe = [i.filename for i in infos if zipsafe.name_problem(i.filename) or zipsafe.is_symlink(i)]
    reported = " ".join(str(p) for p in found)
    for name in unsafe:
        assert zipsafe.shown(name) in reported  # every unsafe entry is named


@FUZZ
@given(body=st.binary(max_size=300))
def test_the_html5_app_reader_takes_any_bytes(body):
    problems_only(zipsafe.check_app(io.BytesIO(body), "resources[0].file", "apps/game.zip"))

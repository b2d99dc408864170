"""Check a whole pack (folder or .zip) and report every problem at once, as `WHERE: WHY`.

check() is shared with install: given a staging folder it copies each listed file there
while it hashes and counts it, so a pack is read once and verified as it is extracted.
"""
from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hub.catalog.packs import exercise, zipsafe
from hub.catalog.packs import manifest as manifest_mod
from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.packs.source import open_source

# hub.catalog.packs.sign (and `cryptography`, 7 MB of RSS) is imported only when a pack.sig is read,
# so a serving hub that installs nothing never loads it (docs/performance.md).
SIGNATURE_FILE = "pack.sig"  # = sign.SIGNATURE_FILE
MAX_SIGNATURE_BYTES = 4096


@dataclass
class Checked:
    """What check() found: the manifest (None if unreadable), its bytes, the signature, problems."""

    manifest: dict | None = None
    raw: bytes = b""
    signature: bytes | None = None
    size: int = 0
    problems: list[Problem] = field(default_factory=list)


def _file_fields_ok(res) -> bool:
    return (isinstance(res, dict) and isinstance(res.get("file"), str)
            and manifest_mod.is_safe_relative_path(res["file"])
            and res["file"] not in manifest_mod.RESERVED_FILES
            and isinstance(res.get("sha256"), str) and manifest_mod.SHA256.fullmatch(res["sha256"])
            and isinstance(res.get("size"), int) and not isinstance(res.get("size"), bool)
            and res["size"] >= 0)


def listed_files(data: dict) -> tuple[dict[str, tuple[int, dict]], list[Problem]]:
    """Each distinct listed file -> (index, resource) of its first listing; conflicting listings."""
    files: dict[str, tuple[int, dict]] = {}
    problems = []
    resources = data.get("resources") if isinstance(data.get("resources"), list) else []
    for i, res in enumerate(resources):
        if not _file_fields_ok(res):
            continue
        first = files.setdefault(res["file"], (i, res))[1]
        if (first["size"], first["sha256"]) != (res["size"], res["sha256"]):
            problems.append(Problem(f"resources[{i}].file", f"{res['file']} is listed before with "
                                                            "a different size or sha256"))
    return files, problems


def _missing_manifest(source) -> Problem:
    nested = [n for n in source.sizes if n.endswith("/pack.json")]
    if len(nested) == 1:
        folder = nested[0][: -len("pack.json")]
        return Problem("pack.json", f"is missing at the root (found in {folder}): zip the folder's "
                                    "contents, not the folder, or use `hub packs build`")
    return Problem("pack.json", "is missing: a pack has pack.json at its root")


def _check_one(source, file: str, where: str, res: dict, staging: Path | None, on_bytes) -> list[Problem]:
    """Verify one listed file (copying it into staging when given), then its kind's content."""
    kind = res.get("kind")
    if kind == "exercise" and res["size"] > exercise.MAX_EXERCISE_BYTES:
        return [Problem(where, f"{file} is larger than {exercise.MAX_EXERCISE_BYTES} bytes")]
    target = None
    if staging is not None:
        target = staging / file
        target.parent.mkdir(parents=True, exist_ok=True)
        out = open(target, "wb")  # noqa: SIM115 - closed in finally
    elif kind == "exercise":
        out = io.BytesIO()
    elif kind in ("html5", "h5p"):
        out = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finally
    else:
        out = None
    try:
        with source.open(file) as stream:
            problem = zipsafe.copy_checked(stream, where, file, res["size"], res["sha256"], out, on_bytes)
        if problem:
            return [problem]
        if target is not None:
            out.flush()
            os.fsync(out.fileno())  # on disk before the catalog commit points at it
            out.close()
        if kind == "exercise":
            raw = target.read_bytes() if target is not None else out.getvalue()
            return exercise.parse_and_check(raw, file)
        if kind == "html5":
            if target is not None:
                return zipsafe.check_app(target, where, file)
            out.seek(0)
            return zipsafe.check_app(out, where, file)
        if kind == "h5p":
            from hub.catalog.h5p.package import check_file

            if target is None:
                out.seek(0)
            return check_file(target if target is not None else out, file, have=None).problems
        return []
    finally:
        if out is not None:
            out.close()


def _signature_problems(raw: bytes, signature: bytes | None) -> list[Problem]:
    """A pack.sig that is malformed or does not match pack.json (trust is decided at install)."""
    if signature is None:
        return []
    from hub.catalog.packs import sign

    try:
        sign.verify({}, raw, signature)
    except sign.BadSignature as bad:
        return [Problem(SIGNATURE_FILE, str(bad))]
    return []


def check(source, *, staging: Path | None = None, progress=None, gate=None) -> Checked:
    """Read and check a pack from an open source; with `staging`, copy its files there too.

    With `staging` (an install) the files are only read when everything else is right:
    `gate(found)` then adds the install's own problems (version, signature, disk space).
    """
    found = Checked(problems=list(source.problems))
    raw = source.read("pack.json", manifest_mod.MAX_MANIFEST_BYTES)
    if raw is None:
        found.problems.append(_missing_manifest(source))
        return found
    data, problems = manifest_mod.parse(raw)
    found.problems += problems
    if data is None:
        return found
    found.manifest, found.raw = data, raw
    found.signature = source.read(SIGNATURE_FILE, MAX_SIGNATURE_BYTES)
    found.problems += _signature_problems(raw, found.signature)
    found.problems += manifest_mod.check(data)
    files, problems = listed_files(data)
    found.problems += problems
    found.problems += [Problem(zipsafe.shown(name), "is not listed in pack.json")
                       for name in sorted(source.sizes)
                       if name not in files and name not in manifest_mod.RESERVED_FILES]
    resources = data.get("resources") if isinstance(data.get("resources"), list) else []
    for i, res in enumerate(resources):
        if isinstance(res, dict) and isinstance(res.get("file"), str) and res["file"] not in source.sizes \
                and manifest_mod.is_safe_relative_path(res["file"]):
            found.problems.append(Problem(f"resources[{i}].file", f"{res['file']} is missing"))
    present = {f: v for f, v in files.items() if f in source.sizes and f not in source.flagged}
    for file, (i, res) in sorted(present.items()):
        if source.sizes[file] != res["size"]:
            found.problems.append(Problem(f"resources[{i}].file", f"{file} is {source.sizes[file]} "
                                                                  f"bytes, but pack.json says {res['size']}"))
    present = {f: v for f, v in present.items() if source.sizes[f] == v[1]["size"]}
    found.size = sum(res["size"] for _, res in files.values()) + len(raw)
    if staging is not None and not found.problems and gate is not None:
        found.problems += gate(found)
    if staging is not None and found.problems:
        return found
    done, total = [0], max(found.size, 1)

    def on_bytes(count: int) -> None:
        done[0] += count
        if progress:
            progress(done[0] / total, "checking files")

    for file, (i, res) in sorted(present.items()):
        found.problems += _check_one(source, file, f"resources[{i}].file", res, staging, on_bytes)
        if staging is not None and found.problems:
            break  # an install stops at the first bad file: nothing of it will be kept
    return found


def validate(path) -> list[Problem]:
    """Every problem of the pack folder or .zip at `path` (an empty list: it is valid)."""
    try:
        source = open_source(path)
    except PackRefused as refused:
        return refused.problems
    try:
        return check(source).problems
    except PackRefused as refused:
        return refused.problems
    finally:
        source.close()

"""Vendor the standalone H5P player (h5p-standalone, MIT) into hub/static/vendor/h5p-standalone/.

    python scripts/vendor_h5p.py            # npm pack the pinned version, check, copy the files
    python scripts/vendor_h5p.py --tarball h5p-standalone-3.8.2.tgz   # from a tarball at hand
    python scripts/vendor_h5p.py --check    # the committed files are the pinned ones (offline)

The version and the sha256 of the npm tarball are pinned below; a tarball that does not match
is refused. Only the files the player needs are kept (no source maps, no web fonts beyond the
icon fonts H5P's own buttons draw with), with the licence. Nothing is fetched at run time.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "h5p-standalone"
VERSION = "3.8.2"
TARBALL_SHA256 = "de7844ac07d5baddf5664c03738f25755914854b472f9b093251300ea1fec391"
TARGET = Path(__file__).resolve().parent.parent / "hub" / "static" / "vendor" / PACKAGE
# The tarball members (under package/) the player needs; their sha256 go to SHA256SUMS.
FILES = (
    "LICENSE",
    "dist/main.bundle.js",
    "dist/main.bundle.js.LICENSE.txt",
    "dist/frame.bundle.js",
    "dist/styles/h5p.css",
    "dist/images/throbber.gif",
    "dist/images/h5p.svg",
    "dist/fonts/h5p-core-30.woff2",
    "dist/fonts/h5p-theme.woff2",
    "dist/fonts/h5p-hub-publish.woff2",
)
PINS = TARGET / "SHA256SUMS"
# The player on an offline hub links nowhere and names nothing on the internet. A child who taps
# a link meets an error page, so links out (h5p.org, the licences in "Rights of use") become
# plain text, and the licence data keeps no address. xAPI identifiers become urn: names: they
# are labels the hub's bridge reads, never fetched, and statements never leave the hub. The verb
# prefix keeps its 31 characters (getVerb() cuts that many). Each edit must match as often as
# given, or re-vendoring a new version stops.
_VERBS_OLD, _VERBS_NEW = b"http://adlnet.gov/expapi/verbs/", b"urn:x-xapi:adlnet.expapi.verbs/"
assert len(_VERBS_OLD) == len(_VERBS_NEW)
OFFLINE_EDITS = {
    "dist/frame.bundle.js": (
        (rb'<a href="https://h5p\.org/node/442225" target="_blank">More Info</a>', b"<span></span>", 1),
        (rb'<a class="h5p-link" href="http://h5p\.org" target="_blank"', b'<a class="h5p-link"', 1),
        (rb"""i&&\(a='<a href="'\+i\+'" target="_blank">'\+a\+"</a>"\)""", b"void i", 1),
        (rb"""'<a href="http://opendatacommons\.org/licenses/pddl/1\.0/" target="_blank">"""
         rb"""(Public Domain Dedication and Licence)</a>'""", rb'"\1"', 1),
        (rb'link:"https?://[^"]*"', b'link:""', 11),
        (_VERBS_OLD.replace(b".", rb"\."), _VERBS_NEW, 1),
        (rb"http://h5p\.org/x-api/", b"urn:x-h5p:x-api/", 3),
        (rb"http://h5p\.org/libraries/", b"urn:x-h5p:libraries/", 1),
    ),
}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _npm_pack(folder: Path) -> Path:
    """Download the pinned tarball with npm (the registry's own client) into `folder`."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL)
    return folder / f"{PACKAGE}-{VERSION}.tgz"


def _local_name(member: str) -> str:
    return member.removeprefix("dist/")


def _offline(member: str, data: bytes) -> bytes:
    for pattern, new, times in OFFLINE_EDITS.get(member, ()):
        data, found = re.subn(pattern, new, data)
        if found != times:
            raise SystemExit(f"{member}: the offline edit {pattern[:40]!r} matched {found} times, not {times}")
    return data


def vendor(tarball: Path) -> list[str]:
    """Check the tarball against the pin and copy the player's files; return the lines written."""
    digest = _sha256(tarball.read_bytes())
    if digest != TARBALL_SHA256:
        raise SystemExit(f"{tarball}: sha256 {digest} is not the pinned {TARBALL_SHA256}")
    lines = []
    with tarfile.open(tarball) as archive:
        for member in FILES:
            data = _offline(member, archive.extractfile(f"package/{member}").read())
            out = TARGET / _local_name(member)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            lines.append(f"{_sha256(data)}  {_local_name(member)}")
    PINS.write_text(f"# {PACKAGE} {VERSION} from the npm registry, tarball sha256 {TARBALL_SHA256}\n"
                    + "\n".join(lines) + "\n", encoding="utf-8")
    return lines


def check() -> list[str]:
    """Every vendored file that is missing or differs from SHA256SUMS (empty: all good)."""
    if not PINS.is_file():
        return [f"{PINS}: missing, run scripts/vendor_h5p.py"]
    wrong = []
    for line in PINS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        digest, name = line.split("  ", 1)
        path = TARGET / name
        if not path.is_file() or _sha256(path.read_bytes()) != digest:
            wrong.append(f"{path}: missing or changed")
    if f"{PACKAGE} {VERSION} " not in PINS.read_text(encoding="utf-8").splitlines()[0]:
        wrong.append(f"{PINS}: not version {VERSION}")
    return wrong


def main(argv=None) -> int:
    """Vendor (or with --check verify) the pinned h5p-standalone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="use this npm tarball instead of `npm pack`")
    parser.add_argument("--check", action="store_true", help="verify the committed files")
    args = parser.parse_args(argv)
    if args.check:
        wrong = check()
        for line in wrong:
            print(line, file=sys.stderr)
        return 1 if wrong else 0
    if args.tarball:
        lines = vendor(args.tarball)
    else:
        with tempfile.TemporaryDirectory() as folder:
            lines = vendor(_npm_pack(Path(folder)))
    print(f"vendored {PACKAGE} {VERSION}: {len(lines)} files in {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

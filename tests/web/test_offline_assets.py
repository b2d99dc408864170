"""Offline means offline: no page loads anything from the internet."""
import re

from tests.helpers import ROOT

EXTERNAL = re.compile(r"""(?:src|href|action|url\()\s*=?\s*["']?\s*(?:https?:)?//""", re.I)
# Vendored players (hub/static/vendor) may carry links a learner could follow (H5P's "About"
# links, licence pages): an <a href> is not a load. What they fetch or embed is still checked.
VENDOR_EXTERNAL = re.compile(r"""(?:src|url\()\s*=?\s*["']?\s*(?:https?:)?//""", re.I)
EXTERNAL_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(?:https?:)?//|fetch\(\s*["'](?:https?:)?//""", re.I)


def _files():
    for folder in ("hub/templates", "hub/static", "sync/central/templates"):
        base = ROOT / folder
        if base.exists():
            yield from (p for p in base.rglob("*") if p.is_file() and p.suffix in
                        {".html", ".css", ".js", ".svg", ".json", ".webmanifest"})


def test_no_template_or_static_file_loads_from_the_internet():
    offenders = []
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        # SVG namespaces and documentation links are not requests.
        text = re.sub(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"', "", text)
        loads = VENDOR_EXTERNAL if "hub/static/vendor/" in path.as_posix() else EXTERNAL
        if loads.search(text) or EXTERNAL_IMPORT.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"external references in {offenders}"


def test_pages_carry_a_content_security_policy_that_forbids_other_hosts(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy

"""The pinned learner pages of an older tree and this one, alternated in one sitting.

    python -m benchmarks.pinned_ab --before REV [--rounds 2] [--duration 5] [--inprocess]

On a shared or noisy machine single figures move by a third from run to run; ratios to the
ceiling of the same run, with the two trees run one after the other in turn, are what can be
compared. The older tree is exported with `git archive REV` (its compiled translations and
this tree's benchmarks/pinned.py copied in, so both run the same measurement) and served by
the same Python; each run is `python -m benchmarks.pinned --modes pinned` in its own tree.
Prints a Markdown table: each page's ratio to the ceiling, before -> after, and its p99.
--inprocess also runs benchmarks.pages_inprocess (µs a request, no sockets) in each tree, in turn.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import ROOT

PAGES = ("home", "pack", "resource", "search", "home_signed_in", "resource_signed_in")


def export(rev: str, into: Path) -> Path:
    """The tree of `rev` in `into`, with this tree's compiled catalogs and pinned benchmark."""
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    for mo in (ROOT / "translations").rglob("*.mo"):
        target = into / mo.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(mo, target)
    for name in ("pinned.py", "pages_inprocess.py"):
        shutil.copy2(ROOT / "benchmarks" / name, into / "benchmarks" / name)
    return into


def run(tree: Path, out: Path, duration: float) -> dict:
    """One pinned run in `tree`; its figures."""
    subprocess.run([sys.executable, "-m", "benchmarks.pinned", "--modes", "pinned", "--duration",
                    str(duration), "--no-doc", "--json", str(out)], cwd=tree, check=True,
                   stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))["pinned"]


def table(pairs: list[tuple[dict, dict]]) -> str:
    """Markdown rows: per round, each page's ratio to its run's ceiling, before -> after."""
    lines = ["| page (pinned) | 10 conn × ceiling | p99 ms | 50 conn × ceiling | p99 ms |",
             "|---|---|---|---|---|"]
    for number, (old, new) in enumerate(pairs, 1):
        ceilings = [f"{run_['ceiling_minimal'][c]['rps']:,.0f}" for run_ in (old, new) for c in ("10", "50")]
        lines.append(f"| *round {number}: ceilings {ceilings[0]} / {ceilings[1]} (before), "
                     f"{ceilings[2]} / {ceilings[3]} req/s (after)* | | | | |")
        for page in PAGES:
            cells = []
            for c in ("10", "50"):
                if page not in old or page not in new:
                    cells += ["", ""]
                    continue
                before = old[page][c]["rps"] / old["ceiling_minimal"][c]["rps"]
                after = new[page][c]["rps"] / new["ceiling_minimal"][c]["rps"]
                cells += [f"{before:.2f}× → **{after:.2f}×**",
                          f"{old[page][c]['p99_ms']:.0f} → {new[page][c]['p99_ms']:.0f}"]
            lines.append(f"| {page.replace('_', ' ')} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> str:
    """Export the older tree, alternate the two, print the table."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.pinned_ab", description=__doc__.split("\n")[0])
    p.add_argument("--before", required=True, help="the older revision (a commit, branch or tag)")
    p.add_argument("--rounds", type=int, default=2, help="before/after pairs, alternated (2)")
    p.add_argument("--duration", type=float, default=5.0, help="seconds per load run (5)")
    p.add_argument("--inprocess", action="store_true", help="also µs a request in-process")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hub-pinned-ab-") as tmp:
        work = Path(tmp)
        (work / "before").mkdir()
        old_tree = export(a.before, work / "before")
        pairs = []
        for number in range(a.rounds):
            if a.inprocess:
                for label, tree in (("before", old_tree), ("after", ROOT)):
                    print(f"in-process, round {number + 1}, {label}:", flush=True)
                    subprocess.run([sys.executable, "-m", "benchmarks.pages_inprocess"], cwd=tree,
                                   check=True)
            old = run(old_tree, work / f"before-{number}.json", a.duration)
            new = run(ROOT, work / f"after-{number}.json", a.duration)
            pairs.append((old, new))
    text = table(pairs)
    print(text)
    return text


if __name__ == "__main__":
    main()

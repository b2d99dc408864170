"""`hub doctor` and `hub install-service`: looking after the device."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from hub.cli.common import refuse, settings

LABELS = {"ok": "ok", "info": "note", "warning": "ATTENTION", "error": "PROBLEM"}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--data-dir", type=click.Path(), help="Data folder (HUB_DATA_DIR).")
def doctor(as_json, data_dir):
    """Check the hub's health and explain what needs fixing (exit 1 if anything does)."""
    from hub.ops.device.doctor import needs_fixing, run_checks

    conf = settings(HUB_DATA_DIR=data_dir)
    checks = run_checks(conf, thorough=True)
    bad = needs_fixing(checks)
    if as_json:
        click.echo(json.dumps({"ok": not bad, "checks": [c.to_dict() for c in checks]}, indent=2))
    else:
        click.echo(f"Community Learning Hub health check ({conf['HUB_DATA_DIR']})")
        for check in checks:
            click.echo(f"  {LABELS[check.severity]:<9} {check.title}: {check.message}")
            if check.fix and not check.ok:
                click.echo(f"  {'':<9} Fix: {check.fix}")
        count = sum(1 for c in checks if not c.ok)
        click.echo("Everything looks fine." if not bad else
                   f"{count} thing{'s' if count != 1 else ''} need{'' if count != 1 else 's'} attention.")
    sys.exit(1 if bad else 0)


@click.command("install-service")
@click.option("--user", default="hub", show_default=True, help="The user the hub runs as.")
@click.option("--data-dir", type=click.Path(), help="Data folder (default: HUB_DATA_DIR).")
@click.option("--memory-max", default="400M", show_default=True, help="systemd MemoryMax.")
@click.option("--output", type=click.Path(dir_okay=False), help="Where to write the unit.")
@click.option("--dry-run", is_flag=True, help="Print the unit instead of writing it.")
def install_service(user, data_dir, memory_max, output, dry_run):
    """Write a systemd unit so the hub starts on boot and restarts after a failure."""
    from hub.core.config import ROOT
    from hub.ops.device import service

    conf = settings(HUB_DATA_DIR=data_dir)
    data_dir = str(Path(conf["HUB_DATA_DIR"]).resolve())
    working_dir = str(ROOT)
    # Relative defaults resolve in WorkingDirectory; only a chosen packs source is passed on.
    packs_source = conf["HUB_PACKS_SOURCE"] if os.environ.get("HUB_PACKS_SOURCE") else None
    found = service.problems(user, data_dir, working_dir, memory_max, packs_source)
    if found:
        refuse(found)
    unit = service.render_unit(user=user, data_dir=data_dir, working_dir=working_dir,
                               exec_start=service.default_exec_start(), memory_max=memory_max,
                               packs_source=packs_source)
    if dry_run:
        click.echo(unit, nl=False)
        return
    target = Path(output) if output else service.UNIT_PATH
    try:
        _write_atomically(target, unit)
    except OSError as exc:
        hint = "; run it with sudo" if exc.errno in (1, 13) else ""
        refuse([f"--output: cannot write {target} ({exc.strerror}){hint}"])
    click.echo(f"Wrote {target}. Next, run:")
    for step in service.next_steps(user, data_dir, target):
        click.echo(f"  {step}")


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename: a reader never sees half a unit."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()

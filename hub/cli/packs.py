"""`hub packs ...`: validate, install, list, remove, enable/disable, build, sign content packs.

Exit status: 0 done, 1 refused (one `WHERE: WHY` line per problem on stderr), 2 usage.
"""
from __future__ import annotations

import json

import click

from hub.cli.common import open_db, refuse, settings

MIB = 1024 * 1024


@click.group()
def packs():
    """Manage content packs."""


@packs.command()
@click.argument("path", type=click.Path(exists=True))
def validate(path):
    """Check a pack folder or .zip; print every problem as WHERE: WHY."""
    from hub.catalog.packs.source import open_source
    from hub.catalog.packs.validate import validate as check

    problems = check(path)
    if problems:
        refuse(problems)
    source = open_source(path)
    try:
        data = json.loads(source.read("pack.json", 1 << 25))
        signed = source.read("pack.sig", 4096) is not None
    finally:
        source.close()
    click.echo(f"{path}: a valid pack, {data['id']} {data['version']}, "
               f"{len(data['resources'])} resources{', signed' if signed else ', unsigned'}")


def _install_zim(db, conf, path, keep_mounted):
    from hub.catalog.zim.install import ZimRefused
    from hub.catalog.zim.install import install as install_zim

    try:
        done = install_zim(db, conf["HUB_DATA_DIR"], path, keep_mounted=keep_mounted,
                           usb_mounts=conf["HUB_USB_MOUNTS"],
                           reserve_bytes=conf["HUB_DISK_RESERVE_MB"] * MIB, source="cli")
    except ZimRefused as refused:
        refuse(refused.problems)
    how = "served from the drive" if done.by_reference else "copied"
    click.echo(f"installed {done.pack_id} {done.version} ({how})")


def _install_format(db, conf, path, as_json):
    """A Kolibri export or .h5p: install, then say what was installed and what was left out."""
    from hub.catalog.formats import install_format
    from hub.catalog.packs.errors import PackRefused

    try:
        done = install_format(db, conf["HUB_DATA_DIR"], path, allow_unsigned=conf["HUB_ALLOW_UNSIGNED_PACKS"],
                              reserve_bytes=conf["HUB_DISK_RESERVE_MB"] * MIB, source="cli")
    except PackRefused as refused:
        refuse(refused.problems)
    if as_json:
        click.echo(json.dumps({"installed": [{"id": p.pack_id, "version": p.version,
                                              "previous_version": p.previous_version} for p in done.packs],
                               "skipped": done.skipped}, ensure_ascii=False, indent=2))
        return
    for pack in done.packs:
        upgraded = f", upgraded from {pack.previous_version}" if pack.previous_version else ""
        click.echo(f"installed {pack.pack_id} {pack.version} (unsigned{upgraded})")
    for node in done.skipped:
        click.echo(f"not playable: {node['title']} ({node['kind']}): {node['reason']}")


@packs.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--keep-mounted", is_flag=True,
              help="A .zim on a USB drive that stays plugged in: serve it from there, do not copy.")
@click.option("--json", "as_json", is_flag=True,
              help="Machine-readable output (Kolibri exports and .h5p: what was left out, and why).")
@click.option("--allow-new-signer", is_flag=True,
              help="Accept an upgrade signed by another key than the installed version (or unsigned).")
def install(path, keep_mounted, as_json, allow_new_signer):
    """Install or upgrade a pack (folder, .zip, .zim, .h5p or Kolibri export); a refused one changes nothing."""
    from hub.catalog.formats import is_other_format
    from hub.catalog.packs.errors import PackRefused
    from hub.catalog.packs.install import install as install_pack
    from hub.catalog.zim import is_zim_file

    conf = settings()
    db = open_db(conf)
    try:
        if is_other_format(path) and not keep_mounted:
            return _install_format(db, conf, path, as_json)
        if is_zim_file(path):
            return _install_zim(db, conf, path, keep_mounted)
        if keep_mounted:
            refuse([f"{path}: --keep-mounted is for .zim files only"])
        result = install_pack(db, conf["HUB_DATA_DIR"], path,
                              allow_unsigned=conf["HUB_ALLOW_UNSIGNED_PACKS"],
                              reserve_bytes=conf["HUB_DISK_RESERVE_MB"] * MIB, source="cli",
                              allow_new_signer=allow_new_signer)
    except PackRefused as refused:
        refuse(refused.problems)
    finally:
        db.conn.close()
    if as_json:
        click.echo(json.dumps({"installed": [{"id": result.pack_id, "version": result.version,
                                              "previous_version": result.previous_version}],
                               "skipped": []}, indent=2))
        return
    upgraded = f", upgraded from {result.previous_version}" if result.previous_version else ""
    signer = f"signed by {result.signed_by}" if result.signed_by else "unsigned"
    click.echo(f"installed {result.pack_id} {result.version} ({signer}{upgraded})")


def _title(pack: dict) -> str:
    titles = pack["title"] or {}
    first = (pack["languages"] or [None])[0]
    return titles.get("en") or titles.get(first) or next(iter(titles.values()), pack["id"])


@packs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_packs(as_json):
    """List installed packs: id, version, title, languages, resources, size, enabled."""
    from hub.catalog import store as catalog

    db = open_db()
    try:
        rows = catalog.list_packs(db, enabled_only=False)
    finally:
        db.conn.close()
    listed = [{"id": p["id"], "version": p["version"], "title": p["title"],
               "languages": p["languages"], "resources": p["resource_count"], "size": p["size"],
               "enabled": p["enabled"], "signed_by": p["signed_by"], "source": p["source"],
               "installed_at": p["installed_at"]} for p in rows]
    if as_json:
        click.echo(json.dumps({"packs": listed}, ensure_ascii=False, indent=2))
        return
    if not listed:
        click.echo("No packs installed.")
    for p in listed:
        state = "enabled" if p["enabled"] else "disabled"
        click.echo(f"{p['id']}  {p['version']}  {_title(p)}  "
                   f"[{', '.join(p['languages'])}]  {p['resources']} resources  "
                   f"{p['size'] / MIB:.1f} MB  {state}  {p['signed_by'] or 'unsigned'}")


def _with_pack(action, pack_id, done_message):
    from hub.catalog.packs.errors import PackRefused

    conf = settings()
    db = open_db(conf)
    try:
        action(db, conf, pack_id)
    except PackRefused as refused:
        refuse(refused.problems)
    finally:
        db.conn.close()
    click.echo(done_message)


@packs.command()
@click.argument("pack_id")
def remove(pack_id):
    """Remove an installed pack and its files (learners' progress records stay)."""
    from hub.catalog.packs.install import remove as remove_pack

    _with_pack(lambda db, conf, pid: remove_pack(db, conf["HUB_DATA_DIR"], pid), pack_id,
               f"removed {pack_id}")


@packs.command()
@click.argument("pack_id")
def enable(pack_id):
    """Show a pack to learners."""
    from hub.catalog.packs.install import set_enabled

    _with_pack(lambda db, conf, pid: set_enabled(db, pid, True), pack_id, f"enabled {pack_id}")


@packs.command()
@click.argument("pack_id")
def disable(pack_id):
    """Hide a pack from learners (its files and progress stay)."""
    from hub.catalog.packs.install import set_enabled

    _with_pack(lambda db, conf, pid: set_enabled(db, pid, False), pack_id, f"disabled {pack_id}")


@packs.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .zip to write.")
def build(folder, output):
    """Fill sizes and sha256 into pack.json and write a reproducible .zip."""
    from hub.catalog.packs.build import build as build_pack
    from hub.catalog.packs.errors import PackRefused

    try:
        built = build_pack(folder, output)
    except PackRefused as refused:
        refuse(refused.problems)
    if built.manifest_changed:
        click.echo(f"{folder}/pack.json: sizes and sha256 updated")
    if built.signature_removed:
        click.echo(f"{folder}/pack.sig: removed, it signed the old pack.json; sign again "
                   "(hub packs sign) and build", err=True)
    click.echo(f"wrote {built.path} ({built.files} files, {built.size} bytes)")


@packs.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--key", "key_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The publisher's Ed25519 private key (PEM), e.g. from `hub keys generate`.")
def sign(folder, key_file):
    """Sign FOLDER/pack.json with an Ed25519 key: writes FOLDER/pack.sig."""
    from hub.catalog.packs import sign as signing
    from hub.catalog.packs.errors import PackRefused

    try:
        path, fingerprint = signing.sign_folder(folder, key_file)
    except PackRefused as refused:
        refuse(refused.problems)
    click.echo(f"wrote {path} (key {signing.short(fingerprint)})")

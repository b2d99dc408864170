"""`hub translations export`: the translations fixed on this hub, as .po files to send back."""
from __future__ import annotations

from pathlib import Path

import click

from hub.cli.common import settings


@click.group()
def translations():
    """Translations fixed on the facilitator console's translator page."""


@translations.command()
@click.option("--locale", "locales", multiple=True,
              help="A locale to export (repeatable; default: every locale with edits).")
@click.option("--out", "out", default="translations-export", show_default=True,
              type=click.Path(file_okay=False), help="Folder for LOCALE/LC_MESSAGES/messages.po.")
def export(locales, out):
    """Write each locale's whole catalog (shipped strings with this hub's edits in) as .po."""
    from hub.core import translation_edits

    data_dir = settings()["HUB_DATA_DIR"]
    known = translation_edits.editable_locales()
    for code in locales:
        if code not in known:
            raise click.BadParameter(f"{code!r} is not a shipped locale; use one of "
                                     f"{', '.join(known)}", param_hint="--locale")
    chosen = list(locales) or [c for c in known if translation_edits.edited_count(data_dir, c)]
    if not chosen:
        click.echo("no translations were edited on this hub; nothing to export")
        return
    for code in chosen:
        path = Path(out) / code / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(translation_edits.export(data_dir, code))
        count = translation_edits.edited_count(data_dir, code)
        click.echo(f"wrote {path} ({count} string{'s' if count != 1 else ''} edited on this hub)")

"""`hub metrics rollup`: daily aggregates from events."""
from __future__ import annotations

import datetime as dt

import click

from hub.cli.common import open_db, refuse, settings
from hub.core import clock


@click.group()
def metrics():
    """Aggregate metrics."""


@metrics.command()
@click.option("--date", "day", help="The day to roll up (YYYY-MM-DD); default: every day with new events.")
def rollup(day):
    """Roll events up into daily aggregates."""
    from sync import metrics as hub_metrics

    conf = settings()
    db = open_db(conf)
    tz = clock.hub_timezone(db, conf)
    if day:
        try:
            when = dt.date.fromisoformat(day)
        except ValueError:
            refuse([f"--date: {day!r} is not a date like 2024-05-01"])
        rows = hub_metrics.rollup(db, when, tz)
        click.echo(f"{when.isoformat()}: {rows} aggregate row(s) ({tz})")
        return
    done = hub_metrics.refresh(db, tz)  # as the scheduler does: the dashboard shows its time
    for when in done:
        count = db.execute("SELECT count(*) FROM metrics_daily WHERE day = ?", [when.isoformat()]).fetchone()[0]
        if count:
            click.echo(f"{when.isoformat()}: {count} aggregate row(s)")
    click.echo(f"Rolled up {len(done)} day(s) ({tz}).")

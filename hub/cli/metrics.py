"""`hub metrics rollup`: daily aggregates from events."""
from __future__ import annotations

import click

from hub.cli.common import not_built


@click.group()
def metrics():
    """Aggregate metrics."""


@metrics.command()
@click.option("--date", "day", help="The day to roll up (YYYY-MM-DD); default: every day with new events.")
def rollup(day):
    """Roll events up into daily aggregates."""
    not_built("metrics")

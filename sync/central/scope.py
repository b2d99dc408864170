"""Who sees which hubs: a user's scope (a region, a partner, or everything) as one SQL filter.

Every page and export asks the store through this filter, so a scoped user's numbers are
limited in the query itself, never trimmed afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """A region or a partner a user is limited to; both empty: every hub."""

    region: str = ""
    partner: str = ""

    @property
    def everything(self) -> bool:
        """True for an unscoped (admin) user."""
        return not self.region and not self.partner


def hub_filter(scope: Scope | None = None, *, hub: str | None = None, region: str | None = None,
               partner: str | None = None, alias: str = "h") -> tuple[str, list]:
    """(SQL condition on the hubs table under `alias`, its parameters) for a scope and filters."""
    parts, params = ["1 = 1"], []
    for column, value in (("region", scope.region if scope else ""), ("partner", scope.partner if scope else ""),
                          ("hub_id", hub), ("region", region), ("partner", partner)):
        if value:
            parts.append(f"{alias}.{column} = ?")
            params.append(value)
    return " AND ".join(parts), params


def rows_filter(scope: Scope | None = None, *, hub: str | None = None, region: str | None = None,
                partner: str | None = None, column: str = "m.hub_id") -> tuple[str, list]:
    """(SQL condition on a table with a hub_id column, parameters): only hubs in scope and filters."""
    if hub and not (scope and not scope.everything) and not region and not partner:
        return f"{column} = ?", [hub]  # the common case needs no join
    where, params = hub_filter(scope, hub=hub, region=region, partner=partner, alias="sh")
    if where == "1 = 1":
        return "1 = 1", []
    return f"{column} IN (SELECT sh.hub_id FROM hubs sh WHERE {where})", params

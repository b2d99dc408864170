"""One health check's result (Check) and how checks are made; shared by doctor and netcheck."""
from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("ok", "info", "warning", "error")  # warning and error both need fixing


def _l(text: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class Check:
    """The result of one health check."""

    name: str       # stable id: data_dir, disk, clock, database, upstream, addresses, software
    title: str      # msgid, e.g. "Data folder"
    severity: str   # one of SEVERITIES
    message_id: str  # msgid with %(placeholders)s filled from params
    fix_id: str = ""
    params: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing needs fixing (ok or a mere note)."""
        return self.severity in ("ok", "info")

    @property
    def message(self) -> str:
        """What was found, in English."""
        return self.message_id % self.params if self.params else self.message_id

    @property
    def fix(self) -> str:
        """What to do about it, in English ('' when nothing)."""
        if not self.fix_id:
            return ""
        return self.fix_id % self.params if self.params else self.fix_id

    def to_dict(self) -> dict:
        """The check as plain JSON-ready data."""
        return {"name": self.name, "title": self.title, "ok": self.ok, "severity": self.severity,
                "message": self.message, "fix": self.fix}


def _check(name, title, severity, message, fix="", **params) -> Check:
    return Check(name, title, severity, message, fix, {k: str(v) for k, v in params.items()})


# --- data folder -------------------------------------------------------------------------

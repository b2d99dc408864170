"""What the pack pipeline reports: problems as `WHERE: WHY`, and the refusal that carries them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: the place (a file, a field path) and the reason."""

    where: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.why}"


class PackRefused(Exception):
    """A pack was not installed (or a command refused); nothing on the hub changed."""

    def __init__(self, problems):
        self.problems = [p if isinstance(p, Problem) else Problem("pack", str(p)) for p in problems]
        super().__init__("; ".join(str(p) for p in self.problems))

"""USB mount points (HUB_USB_MOUNTS): which folders are drives, and whether a path lies on one."""
from __future__ import annotations

import os
from pathlib import Path


def mount_points(setting: str) -> list[Path]:
    """Split HUB_USB_MOUNTS (':'-separated) into existing folders."""
    return [Path(p) for p in (setting or "").split(os.pathsep) if p and Path(p).is_dir()]


def is_under(path: str, mounts: list[Path]) -> bool:
    """True when `path` lies inside one of the mount points (refuses anything else)."""
    try:
        real = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return any(real == m.resolve() or m.resolve() in real.parents for m in mounts)

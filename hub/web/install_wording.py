"""Install refusals in plain words for facilitators, with what to do; the exact reason stays
under "Details" for the person who looks after the hub (issue 18: a re-upload of the same
version was "refused" in developer text, a broken zip showed a temporary file's name)."""
from __future__ import annotations

from flask_babel import gettext as _


def plain_problem(problem: str) -> str | None:
    """A refusal from hub.catalog.packs in plain words, or None when there is no plain one."""
    text = str(problem)
    if "is installed already" in text:
        return _("This version of the pack is installed already, so nothing was changed. "
                 "There is nothing to do.")
    if "is not newer than the installed" in text:
        return _("This pack is older than the one installed, so it was not installed. "
                 "Look for a newer version.")
    if "is not a readable zip" in text or "the zip is damaged" in text:
        return _("This file is not a pack the hub can read, or it is damaged. Check that it is "
                 "the pack's .zip file, copy it again and try once more.")
    if "bytes but only" in text:
        return _("There is not enough free space for this pack. Remove packs you no longer use, "
                 "then try again.")
    return None

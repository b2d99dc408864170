"""HTTP errors werkzeug does not define."""
from werkzeug.exceptions import HTTPException


class InsufficientStorage(HTTPException):
    """507: the disk is full; the hub refuses new writes and keeps serving pages."""

    code = 507
    description = "The hub's storage is full."

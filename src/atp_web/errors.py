"""The two ways a request goes wrong on purpose: a bad parameter (400) or an unknown id (404)."""

from __future__ import annotations


class WebError(Exception):
    """A request the dashboard refuses, with the HTTP status and the reason shown to the user."""

    status_code = 500

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BadRequest(WebError):
    """A malformed or contradictory query parameter or form field (400)."""

    status_code = 400


class NotFound(WebError):
    """An id or name the store does not know (404)."""

    status_code = 404

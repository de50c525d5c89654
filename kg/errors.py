"""Errors a user can act on. The CLI prints them as one line and exits non-zero."""
from __future__ import annotations


class KgError(Exception):
    """Base for every error that carries a user-facing message."""

    exit_code = 2


class InputError(KgError):
    """An input (file, line, option value) that cannot be used; the message names it."""


class ValidationError(KgError):
    """A graph that does not conform to the shapes; ``report`` holds the details."""

    exit_code = 1

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report

"""Errors a user can meet. Every message is one clear Chinese sentence: which file, what is
wrong, what to do. The CLI prints them and exits 2; no traceback reaches a user."""
from __future__ import annotations


class BudgetXlError(Exception):
    """Base of every error with a message meant for the user."""

    exit_code = 2


class TemplateError(BudgetXlError):
    """A template file is malformed, or a template name is unknown."""


class InputError(BudgetXlError):
    """An input file cannot be used (missing, not a workbook, corrupt, encrypted, no tables)."""


class NotPublished(BudgetXlError):
    """`fill` wrote nothing: an entered total disagrees with its parts, or the check found errors.
    Carries the check report (and the disagreeing values) so the caller can show what to fix."""

    exit_code = 1

    def __init__(self, message: str, report, conflicts: list | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.report = report                # the check report of the completed workbook
        self.conflicts = conflicts or []    # derive.Change of each entered total that disagrees
        self.details = details or []        # one line per conflict, for people

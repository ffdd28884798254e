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

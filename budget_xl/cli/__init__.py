"""The `budget-xl` command line: click only. Each command parses its options, calls the Python
API (budget_xl.pipeline) and prints; app.py holds the group and how errors reach the user,
options.py the options several commands share."""
from __future__ import annotations

from . import check, diff, inspect, produce  # noqa: F401  (registers the commands on the group)
from .app import cli, main

__all__ = ["cli", "main"]

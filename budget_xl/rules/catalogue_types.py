"""The shape of a built-in rule (catalogue.py lists them): apart so that the rules of a family kept
in their own module (catalogue_performance.py) can be written with it."""
from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    id: str                        # stable: never changes once published
    name: str                      # short Chinese name, as the reports show it
    statement: str                 # what must hold
    description: str               # when it applies and what it checks
    messages: dict[str, str] = {}  # message templates ({fields}) by the kind of finding

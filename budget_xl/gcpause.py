"""Pausing Python's cycle collector while a large workbook is read, completed or checked.

Those steps make millions of objects (grid rows, table rows, equation terms, findings) and next to
no reference cycles: everything is freed by reference counting as usual. The cycle collector would
still walk every live object again each time their number grows by a quarter, which costs 10–20 %
of the time on a sheet of 100,000 rows. It is paused for the call and switched back on afterwards
(if it was on), when it collects the few cycles made meanwhile.
"""
from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def without_cycle_collection(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()
    return wrapper  # type: ignore[return-value]

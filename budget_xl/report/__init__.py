"""Renderers of what the commands print or write (text, JSON, CSV, workbooks)."""

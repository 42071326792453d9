"""Cells that a spreadsheet will not run: the one place every CSV and XLSX writer goes through.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as a
formula by Excel and LibreOffice (OWASP, "CSV Injection"): a correction reason
``=HYPERLINK("http://evil.example/","Voir")`` would become a live link in a member's export.
Such text is prefixed with an apostrophe in CSV (shown as typed, never evaluated) and stored as a
string, not a formula, in XLSX. Numbers written as text ("-250,00", "1 234,56") are left alone:
they are amounts, not formulas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?[0-9][0-9\s\u202f\u00a0.,]*$")


def needs_quoting(text: str) -> bool:
    return text.startswith(TRIGGERS) and not NUMBER.match(text)


def safe_cell(value: Any) -> Any:
    """For CSV: a text that would be a formula, prefixed with an apostrophe; anything else."""
    if isinstance(value, str) and needs_quoting(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """``sheet.append`` (openpyxl) with every formula-like text stored as a plain string."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and needs_quoting(cell.value):
            cell.data_type = "s"  # openpyxl took it for a formula ("f")

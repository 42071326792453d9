"""French display of what the API sends: money strings, dates and timestamps.

Money arrives as a string with two decimals (``"-1234.56"``) and is shown as ``-1 234,56 €``
with a narrow no-break space between thousands; it is never converted to a float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NARROW_NBSP.join(groups)


def number(value: str | int | None, *, decimals: int | None = None) -> str:
    """``"1234.5"`` → ``1 234,5`` (``decimals`` rounds half-up first, exactly)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if decimals is not None:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
    sign = "-" if amount < 0 else ""
    text = format(abs(amount), "f")
    whole, _, fraction = text.partition(".")
    return sign + group_thousands(whole) + ("," + fraction if fraction else "")


def euros(value: str | None) -> str:
    """``"-1234.56"`` → ``-1 234,56 €``; the empty string for a missing amount."""
    if value is None or value == "":
        return ""
    return number(value, decimals=2) + NBSP + "€"


def date(value: str | None) -> str:
    """``"2026-04-15"`` → ``15/04/2026``."""
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return value


def timestamp(value: str | None) -> str:
    """An ISO timestamp → ``15/04/2026 09:30:12`` (as stored: UTC)."""
    if not value:
        return ""
    try:
        return dt.datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return value


def local_time(value: str | None) -> str:
    """An ISO timestamp (UTC or any offset) → ``15/04/2026 à 11:30`` in Paris time."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


def amount_from_form(text: str) -> str:
    """An amount typed the French way (``1 234,56``) as the API reads it (``1234.56``); the
    API checks the rest, so nothing is converted to a number here."""
    for space in ("\u202f", "\u00a0", " "):
        text = text.replace(space, "")
    return text.replace(",", ".")

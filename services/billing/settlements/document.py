"""The statement of a settlement on the attribution de compensation, for the CLECT and the AC
deliberation: HTML, and PDF in French (weasyprint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.billing.forecasts.pdf import _env, euro


def _date(value: dt.date | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


def render_html(statement: dict[str, Any]) -> str:
    return _env.get_template("ac_statement.html").render(
        st=statement,
        s=statement["settlement"],
        payer=statement["payer"],
        euro=euro,
        date=_date,
    )


def render_pdf(statement: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs ~0.5 s at start-up

    pdf: bytes = HTML(string=render_html(statement)).write_pdf()
    return pdf

"""Rules of history import: years before Mutualis only, by API one by one or by CSV."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import ValidationFailed
from kit.i18n import say
from kit.identity import Principal
from services.billing.engine.money import MoneyError, fmt, to_cents
from services.billing.history import repository
from services.billing.history.schemas import MEMBER_CODE, HistoryRead, ImportReport
from services.billing.models import AuditEntry, HistoryTotal

CSV_COLUMNS = ("fiscal_year", "member_code", "operating_total")
_CODE = re.compile(MEMBER_CODE)


def to_read(entry: HistoryTotal) -> HistoryRead:
    return HistoryRead.model_validate(
        {
            "fiscal_year": entry.fiscal_year,
            "member_code": entry.member_code,
            "operating_total": fmt(entry.operating_total_cents),
            "source": entry.source,
        }
    )


def check_year(year: int, *, first_fiscal_year: int) -> None:
    if not 2000 <= year < first_fiscal_year:
        raise ValidationFailed(
            f"History is imported for the years before Mutualis (before {first_fiscal_year}); "
            f"from {first_fiscal_year} on, the final runs are the history.",
            detail_fr="L'historique s'importe pour les années d'avant Mutualis (avant "
            f"{first_fiscal_year}) ; à partir de {first_fiscal_year}, les calculs définitifs "
            "sont l'historique.",
            errors=[
                {
                    "field": "fiscal_year",
                    "message": f"must be < {first_fiscal_year}",
                    "message_fr": f"Doit être antérieur à {first_fiscal_year}.",
                }
            ],
        )


def put_history(
    session: Session, *, principal: Principal, year: int, member_code: str, cents: int, source: str
) -> str:
    """Create or update one total; answers created | updated | unchanged."""
    found = repository.get(session, year, member_code)
    if found is not None and found.operating_total_cents == cents:
        return "unchanged"
    before = to_read(found).model_dump(mode="json") if found else None
    entry = found or HistoryTotal(fiscal_year=year, member_code=member_code)
    entry.operating_total_cents = cents
    entry.source = source
    if found is None:
        session.add(entry)
    session.flush()
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="create" if found is None else "update",
        resource_type="history_total",
        resource_id=f"{year}/{member_code}",
        before=before,
        after=to_read(entry).model_dump(mode="json"),
    )
    return "created" if found is None else "updated"


def _parse_row(
    row: dict[str, str], first_fiscal_year: int, decimal_comma: bool
) -> tuple[int, str, int] | list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    year = 0
    try:
        year = int((row.get("fiscal_year") or "").strip())
        if not 2000 <= year < first_fiscal_year:
            errors.append(
                {
                    "field": "fiscal_year",
                    "message": say(
                        f"must be < {first_fiscal_year}",
                        f"Doit être antérieur à {first_fiscal_year}.",
                    ),
                }
            )
    except ValueError:
        errors.append(
            {"field": "fiscal_year", "message": say("not a year", "Une année est attendue.")}
        )
    code = (row.get("member_code") or "").strip()
    if not _CODE.match(code) or len(code) > 80:
        errors.append(
            {
                "field": "member_code",
                "message": say("not a member code", "Ce n'est pas un code d'adhérent."),
            }
        )
    raw = (row.get("operating_total") or "").strip().replace(" ", "").replace("\u00a0", "")
    if decimal_comma:
        raw = raw.replace(",", ".")
    cents = 0
    try:
        cents = to_cents(Decimal(raw))
        if cents < 0:
            errors.append(
                {
                    "field": "operating_total",
                    "message": say("must be ≥ 0", "Doit être positif ou nul."),
                }
            )
    except (InvalidOperation, MoneyError):
        errors.append(
            {
                "field": "operating_total",
                "message": say(
                    "not an amount to the cent", "Un montant au centime près est attendu."
                ),
            }
        )
    return errors if errors else (year, code, cents)


def import_csv(
    session: Session, *, principal: Principal, text: str, first_fiscal_year: int
) -> ImportReport:
    """Upsert every valid row; report what was created, updated, unchanged and rejected.
    A file that is not readable as CSV is refused whole (nothing is stored)."""
    try:
        return _import_rows(
            session, principal=principal, text=text, first_fiscal_year=first_fiscal_year
        )
    except csv.Error as exc:  # e.g. a bare carriage return inside a field
        raise ValidationFailed(
            f"The file is not readable as CSV: {exc}.",
            detail_fr="Le fichier ne se lit pas comme un CSV.",
            errors=[
                {
                    "field": "body",
                    "message": str(exc),
                    "type": "csv",
                    "message_fr": "Fichier CSV illisible.",
                }
            ],
        ) from exc


def _import_rows(
    session: Session, *, principal: Principal, text: str, first_fiscal_year: int
) -> ImportReport:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed(
            f"The CSV needs a header line with the columns {', '.join(CSV_COLUMNS)}; "
            f"missing: {', '.join(missing)}.",
            detail_fr="Le CSV demande une ligne d'en-tête avec les colonnes "
            f"{', '.join(CSV_COLUMNS)} ; il manque : {', '.join(missing)}.",
            errors=[
                {"field": c, "message": "missing column", "message_fr": "Colonne manquante."}
                for c in missing
            ],
        )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    rejected: list[dict[str, Any]] = []
    seen: dict[tuple[int, str], int] = {}
    for row in reader:
        line = reader.line_num
        parsed = _parse_row(row, first_fiscal_year, delimiter == ";")
        if isinstance(parsed, list):
            rejected.append({"line": line, "errors": parsed})
            continue
        year, code, cents = parsed
        if (year, code) in seen:
            rejected.append(
                {
                    "line": line,
                    "errors": [
                        {
                            "field": "member_code",
                            "message": say(
                                f"repeats line {seen[year, code]}",
                                f"Répète la ligne {seen[year, code]}.",
                            ),
                        }
                    ],
                }
            )
            continue
        seen[year, code] = line
        outcome = put_history(
            session, principal=principal, year=year, member_code=code, cents=cents, source="csv"
        )
        counts[outcome] += 1
    return ImportReport(**counts, rejected=rejected)

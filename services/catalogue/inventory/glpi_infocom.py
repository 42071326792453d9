"""GLPI's financial information (Infocom) as a component's end of support.

End of support = the decommission date when set, else the end of warranty (warranty start +
``warranty_duration`` months; ``-1`` is GLPI's lifelong warranty: no end). The Infocom arrives
inline on a legacy asset (``_infocoms``, with ``with_infocoms=true``: the ``glpi_infocoms`` row,
or ``[]`` when the asset has none) or as a list posted to ``/inventory/glpi/infocoms``: legacy
rows (``warranty_date``, ``decommission_date``) or API v2 objects (``date_warranty``,
``date_decommission``, from ``GET /Assets/{itemtype}/{id}/Infocom``), each naming its asset by
``itemtype`` and ``items_id``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kit.audit import record
from kit.i18n import say
from kit.identity import Principal
from services.catalogue.bulk import BulkOptions, BulkResult, ItemError, ItemResult, finish
from services.catalogue.components import repository as components
from services.catalogue.models import AuditEntry

EMPTY_DATES = ("0000-00-00", "")
MAX_MONTHS = 1200  # a warranty beyond a century is a typing error, not an end of support


def parse_date(value: Any) -> dt.date | None:
    """``"2025-09-12"`` or ``"2025-09-12 10:14:03"`` as a date; None for GLPI's empty dates."""
    if not isinstance(value, str) or value.strip()[:10] in EMPTY_DATES:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def add_months(start: dt.date, months: int) -> dt.date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _months(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def end_of_support(infocom: dict[str, Any]) -> dt.date | None:
    """The decommission date, else the end of warranty; None when GLPI tells neither."""
    decommission = parse_date(infocom.get("decommission_date") or infocom.get("date_decommission"))
    if decommission:
        return decommission
    warranty = parse_date(infocom.get("warranty_date") or infocom.get("date_warranty"))
    months = _months(infocom.get("warranty_duration"))
    if warranty is None or months is None or not 0 < months <= MAX_MONTHS:
        return None
    return add_months(warranty, months)


def _result(index: int, key: str, status: str, **fields: Any) -> ItemResult:
    return ItemResult(index=index, key=key, status=status, **fields)


def apply(
    session: Session,
    *,
    principal: Principal,
    infocoms: list[Any],
    sources: dict[str, str],
    options: BulkOptions,
) -> BulkResult:
    """Set the end of support of the components the Infocoms name; the key of each result is
    ``<itemtype>/<items_id>``. A locked ``end_of_support_on`` is left alone."""
    results: list[ItemResult] = []
    wanted: list[tuple[int, str, str, str, dt.date | None]] = []
    for index, infocom in enumerate(infocoms):
        if not isinstance(infocom, dict):
            error = ItemError(
                field="",
                message=say(
                    "each Infocom must be a JSON object", "Chaque Infocom doit être un objet JSON."
                ),
            )
            results.append(_result(index, "", "rejected", errors=[error]))
            continue
        itemtype = str(infocom.get("itemtype") or "")
        items_id = str(infocom.get("items_id") or "").strip()
        key = f"{itemtype}/{items_id}"
        source = sources.get(itemtype)
        if source is None or not items_id:
            field = "itemtype" if source is None else "items_id"
            message = say(
                f"an Infocom of a {', '.join(sources)} is expected, with its items_id",
                f"Une Infocom de {', '.join(sources)} est attendue, avec son items_id.",
            )
            results.append(
                _result(index, key, "rejected", errors=[ItemError(field=field, message=message)])
            )
            continue
        wanted.append((index, key, source, items_id, end_of_support(infocom)))
    updates: list[dict[str, Any]] = []
    stored = {
        source: components.get_by_external_ids(
            session, source, [w[3] for w in wanted if w[2] == source]
        )
        for source in {w[2] for w in wanted}
    }
    for index, key, source, items_id, end in wanted:
        component = stored[source].get(items_id)
        if component is None:
            message = say(
                f"no component imported from GLPI for {key}: import the asset list first",
                f"Aucun composant importé de GLPI pour {key} : importez d'abord la liste des "
                "équipements.",
            )
            error = ItemError(field="items_id", message=message)
            results.append(_result(index, key, "rejected", errors=[error]))
            continue
        principal.ensure_writes_only_its_member(component.member_codes or [None])
        locked = "end_of_support_on" in (component.locked_fields or [])
        if locked or component.end_of_support_on == end:
            results.append(_result(index, key, "unchanged"))
            continue
        updates.append({"id": component.id, "end_of_support_on": end})
        results.append(_result(index, key, "updated", changed_fields=["end_of_support_on"]))
    result = finish(results, options=options, collection="infocoms")
    if options.dry_run:
        return result
    components.update_many(session, updates)
    session.flush()
    record(
        session,
        AuditEntry,
        principal=principal,
        action="ingest-infocoms",
        resource_type="inventory",
        resource_id="glpi-infocoms",
        after={"summary": result.summary, "items": len(infocoms)},
    )
    return result

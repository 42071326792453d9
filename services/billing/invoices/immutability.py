"""The last line of defence of immutability: an issued title's content cannot be updated, even
by code that forgets the rule (the API answers 409 long before)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect

from kit.errors import Conflict
from services.billing.models import Invoice

FROZEN = (
    "kind", "fiscal_year", "section", "member_code", "member_name", "run_id", "origin_key",
    "original_id", "series", "number", "reference", "total_cents", "object", "lines",
    "content", "reason", "forced_reason", "issued_on", "issued_at", "issued_by",
    "signatory_name", "signatory_function", "signatory_delegation", "signatory_id",
    "prepared_by", "prepared_at",
)  # fmt: skip


NUMBERED_AT_IMPORT = {"series", "number", "reference", "issued_on", "issued_at", "issued_by"}


@event.listens_for(Invoice, "before_update")
def _refuse_changes_to_issued(_mapper: Any, _connection: Any, target: Invoice) -> None:
    state = inspect(target)
    status = state.attrs.status.history
    previous = status.deleted[0] if status.deleted else target.status
    if previous in ("ready", "prepared", "rejected"):  # nothing numbered nor sent yet
        return
    changed = [name for name in FROZEN if state.attrs[name].history.has_changes()]
    if previous == "liquidated":  # handed to the financial software: its number comes back
        changed = [name for name in changed if name not in NUMBERED_AT_IMPORT]
    if changed:
        raise Conflict(
            f"The title {target.reference} is issued and immutable ({', '.join(changed)}).",
            detail_fr=f"Le titre n° {target.reference} est émis : il ne se modifie plus.",
            slug="invoice-immutable",
        )


@event.listens_for(Invoice, "before_delete")
def _refuse_deletion(_mapper: Any, _connection: Any, target: Invoice) -> None:
    if target.status not in ("ready", "prepared"):
        raise Conflict(
            f"The title {target.reference} is never deleted.",
            detail_fr=f"Le titre n° {target.reference} ne se supprime jamais.",
            slug="invoice-immutable",
        )

"""What every bulk ingestion answers: one result per item, counts, and the all-or-nothing rule.

Items arrive as raw objects and are validated one by one, so a bad item is rejected with its
row and field while the good ones go on (unless the caller asked for all or nothing).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from kit.errors import ValidationFailed
from kit.i18n import french_field_message, say, wants_french
from kit.metrics import count_ingestion

MAX_ITEMS = 10_000
ItemStatus = Literal["created", "updated", "unchanged", "rejected", "retired", "deleted"]
M = TypeVar("M", bound=BaseModel)


class ItemError(BaseModel):
    field: str
    message: str


class ItemResult(BaseModel):
    index: int = Field(description="Position of the item in the call (0-based)")
    row: int | None = Field(None, description="Line of the CSV file (the header is line 1)")
    key: str = Field(description="What identifies the item: external id, member code…")
    status: ItemStatus
    changed_fields: list[str] = Field(default_factory=list)
    errors: list[ItemError] = Field(default_factory=list)


class BulkResult(BaseModel):
    dry_run: bool
    all_or_nothing: bool
    summary: dict[str, int]
    items: list[ItemResult]


class BulkOptions(BaseModel):
    dry_run: bool = Field(False, description="Report what would change; write nothing")
    all_or_nothing: bool = Field(False, description="Store nothing if any item is rejected")


def validate_item(model: type[M], raw: Any) -> tuple[M | None, list[ItemError]]:
    """The item as ``model``, or the errors naming each field at fault."""
    if not isinstance(raw, dict):
        message = say("each item must be a JSON object", "Chaque élément doit être un objet JSON.")
        return None, [ItemError(field="", message=message)]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        french = wants_french()
        return None, [
            ItemError(
                field=".".join(str(p) for p in err["loc"]),
                message=(french_field_message(err) or "Valeur invalide.") if french else err["msg"],
            )
            for err in exc.errors()
        ]


def finish(results: list[ItemResult], *, options: BulkOptions, collection: str) -> BulkResult:
    """Counts per status; raises a 422 naming each rejected item when all-or-nothing was asked."""
    results.sort(key=lambda r: r.index)
    summary = Counter(r.status for r in results)
    rejected = [r for r in results if r.status == "rejected"]
    if rejected and options.all_or_nothing:
        raise ValidationFailed(
            f"{len(rejected)} item(s) rejected and all_or_nothing was asked: nothing was stored.",
            detail_fr=f"{len(rejected)} élément(s) refusé(s) : rien n'a été enregistré (tout ou "
            "rien demandé).",
            errors=[
                {
                    "field": f"{collection}[{r.index}].{e.field}".rstrip("."),
                    "message": e.message,
                    "message_fr": e.message if wants_french() else None,
                    "type": "rejected",
                    "row": r.row,
                }
                for r in rejected
                for e in r.errors
            ],
            slug="bulk-rejected",
        )
    counts = {s: summary.get(s, 0) for s in ("created", "updated", "unchanged", "rejected")}
    for extra in ("retired", "deleted"):
        if summary.get(extra):
            counts[extra] = summary[extra]
    if not options.dry_run:
        count_ingestion(feed=collection, counts=counts)
    return BulkResult(
        dry_run=options.dry_run,
        all_or_nothing=options.all_or_nothing,
        summary=counts,
        items=results,
    )

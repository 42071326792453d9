"""Dependencies shared by the billing endpoints: permissions and 404s."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from kit.errors import ValidationFailed
from kit.identity import Principal, require

ReadPrincipal = Annotated[Principal, Depends(require("billing:read"))]
WritePrincipal = Annotated[Principal, Depends(require("billing:write"))]


def cursor_key(after: list[object] | None, *types: type) -> list[object] | None:
    """The decoded cursor checked against the expected key types (422 on a forged one)."""
    if after is None:
        return None
    if len(after) != len(types) or not all(
        isinstance(v, t) and not (t is int and isinstance(v, bool))
        for v, t in zip(after, types, strict=False)
    ):
        raise ValidationFailed(
            "The cursor is not one this API gave: restart from the first page.",
            detail_fr="Ce curseur de pagination n'est pas valide : reprenez à la première page.",
            errors=[
                {
                    "field": "cursor",
                    "message": "invalid cursor",
                    "type": "cursor",
                    "message_fr": "Curseur invalide.",
                }
            ],
        )
    return after

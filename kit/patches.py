"""PATCH bodies: a field left out keeps its value; an explicit ``null`` clears it only where the
field may be empty. Elsewhere ``null`` is a 422 naming the field (it used to reach the database
as a NOT NULL violation)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ValidationInfo, field_validator

from kit.french import NOT_NULL
from kit.i18n import Refusal


class Patch(BaseModel):
    nullable: ClassVar[frozenset[str]] = frozenset()  # the fields ``null`` may clear

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise Refusal("may not be null: leave the field out to keep its value", NOT_NULL)
        return value

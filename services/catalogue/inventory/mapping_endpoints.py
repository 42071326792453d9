"""``GET``/``PUT /glpi/member-mappings``: which member a GLPI agent's tag or a GLPI entity
stands for (see ``services.catalogue.inventory.mappings``)."""

from __future__ import annotations

from typing import Annotated, Self

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from kit.db import DbSession
from kit.identity import Principal, require
from services.catalogue.common import MemberCode
from services.catalogue.inventory import mappings

router = APIRouter(tags=["inventory"])
CatalogueWriter = Annotated[Principal, Depends(require("catalogue:write"))]
CatalogueReader = Annotated[Principal, Depends(require("catalogue:read"))]


class MemberMappingItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    match: mappings.Match = Field(
        description="'tag': the GLPI agent's tag; 'entity': a GLPI entity's complete name or id"
    )
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    member_code: MemberCode


class MemberMappings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[MemberMappingItem] = Field(max_length=2000)

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        seen: set[tuple[str, object]] = set()
        for item in self.items:
            key = (
                item.match,
                mappings.entity_segments(item.value)
                if item.match == "entity"
                else item.value.strip().casefold(),
            )
            if key in seen:
                raise ValueError(f"{item.match} '{item.value}' is mapped twice")
            seen.add(key)
        return self


def _read(session: DbSession) -> MemberMappings:
    return MemberMappings(
        items=[
            MemberMappingItem(match=m.match, value=m.value, member_code=m.member_code)
            for m in mappings.list_mappings(session)
        ]
    )


@router.get("/glpi/member-mappings", response_model=MemberMappings)
def get_member_mappings(session: DbSession, _principal: CatalogueReader) -> MemberMappings:
    """The whole list of mappings, tags first then entities, alphabetical."""
    return _read(session)


@router.put("/glpi/member-mappings", response_model=MemberMappings)
def put_member_mappings(
    body: MemberMappings, session: DbSession, principal: CatalogueWriter
) -> MemberMappings:
    """Replace the whole list. A member-scoped token may not: mappings decide every member's
    components."""
    principal.ensure_writes_only_its_member([None])
    mappings.replace_all(
        session,
        principal=principal,
        items=[(i.match, i.value, i.member_code) for i in body.items],
    )
    return _read(session)

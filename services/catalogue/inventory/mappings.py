"""Which member an inventory item serves, as GLPI tells it: the agent's ``tag`` or the item's
entity.

The mappings are managed in Mutualis (``GET``/``PUT /glpi/member-mappings``, the back-office
page), never in a setting. An entity is GLPI's complete name (``"Entité racine > Ville de Ludres
> Écoles"``) or its numeric id; the longest mapped parent path wins, so mapping
``"Entité racine > Ville de Ludres"`` covers every sub-entity of Ludres. A mapping may leave out
the path's first segments (the root entity's name differs between installations: "Entité
racine", "Root entity"): ``"Ville de Ludres"`` maps ``"Entité racine > Ville de Ludres >
Écoles"`` too; for a given depth a whole path beats such a shortened one. Paths are compared
segment by segment, ignoring case, surrounding blanks and HTML entities (GLPI's legacy API
writes ``&amp;``, ``&#039;``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kit.audit import record
from kit.identity import Principal
from services.catalogue.models import AuditEntry, GlpiMemberMapping

Match = Literal["tag", "entity"]
SEPARATOR = ">"


def entity_segments(path: str) -> tuple[str, ...]:
    """``"A > B &amp; C"`` as ``("a", "b & c")``: the form in which paths are compared."""
    text = html.unescape(html.unescape(path))
    return tuple(part.strip().casefold() for part in text.split(SEPARATOR) if part.strip())


@dataclass
class MemberMap:
    """The mappings, ready to answer for many items."""

    tags: dict[str, str] = field(default_factory=dict)
    entities: dict[tuple[str, ...], str] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, str, str]]) -> MemberMap:
        result = cls()
        for match, value, member in rows:
            if match == "tag":
                result.tags[value.strip().casefold()] = member
            else:
                result.entities[entity_segments(value)] = member
        return result

    def for_tag(self, tag: str | None) -> str | None:
        return self.tags.get(tag.strip().casefold()) if tag and tag.strip() else None

    def for_entity(self, entity: str | None) -> str | None:
        """The member of the longest mapped parent of ``entity`` (itself included)."""
        if entity is None:
            return None
        segments = entity_segments(str(entity))
        for length in range(len(segments), 0, -1):
            parent = segments[:length]
            for start in range(length):  # the whole path first, then without its first segments
                member = self.entities.get(parent[start:])
                if member is not None:
                    return member
        return None

    def resolve(self, *, tag: str | None = None, entity: str | None = None) -> str | None:
        """The tag first (the agent says where it is deployed), then the entity."""
        return self.for_tag(tag) or self.for_entity(entity)


def load(session: Session) -> MemberMap:
    rows = session.execute(
        select(GlpiMemberMapping.match, GlpiMemberMapping.value, GlpiMemberMapping.member_code)
    ).all()
    return MemberMap.of((m, v, c) for m, v, c in rows)


def list_mappings(session: Session) -> list[GlpiMemberMapping]:
    query = select(GlpiMemberMapping).order_by(
        GlpiMemberMapping.match, GlpiMemberMapping.value, GlpiMemberMapping.id
    )
    return list(session.scalars(query))


def replace_all(
    session: Session, *, principal: Principal, items: list[tuple[str, str, str]]
) -> list[GlpiMemberMapping]:
    """The whole list replaced by ``items`` (match, value, member code), audited."""
    before = [(m.match, m.value, m.member_code) for m in list_mappings(session)]
    session.execute(delete(GlpiMemberMapping))
    for match, value, member in items:
        session.add(GlpiMemberMapping(match=match, value=value.strip(), member_code=member))
    session.flush()
    record(
        session,
        AuditEntry,
        principal=principal,
        action="replace",
        resource_type="glpi-member-mappings",
        resource_id="all",
        before={"items": [list(i) for i in before]},
        after={"items": [list(i) for i in items]},
    )
    return list_mappings(session)

"""Queries on conventions, amendments and adhesions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registry.models import Adhesion, Convention, ConventionAmendment, Member


def get_by_code(session: Session, code: str) -> Convention | None:
    return session.scalar(select(Convention).where(Convention.code == code))


def get(session: Session, convention_id: int) -> Convention | None:
    return session.get(Convention, convention_id)


def list_conventions(
    session: Session, *, limit: int | None = None, after: str | None = None
) -> Sequence[Convention]:
    query = select(Convention).order_by(Convention.code)
    if after is not None:
        query = query.where(Convention.code > after)
    if limit is not None:
        query = query.limit(limit + 1)
    return session.scalars(query).all()


def amendments_by_convention(
    session: Session, convention_ids: Sequence[int]
) -> dict[int, list[ConventionAmendment]]:
    out: dict[int, list[ConventionAmendment]] = defaultdict(list)
    if not convention_ids:
        return out
    rows = session.scalars(
        select(ConventionAmendment)
        .where(ConventionAmendment.convention_id.in_(list(convention_ids)))
        .order_by(ConventionAmendment.id)
    )
    for row in rows:
        out[row.convention_id].append(row)
    return out


def amendment_by_reference(
    session: Session, convention_id: int, reference: str
) -> ConventionAmendment | None:
    return session.scalar(
        select(ConventionAmendment).where(
            ConventionAmendment.convention_id == convention_id,
            ConventionAmendment.reference == reference,
        )
    )


def get_adhesion(session: Session, convention_id: int, member_id: int) -> Adhesion | None:
    return session.scalar(
        select(Adhesion).where(
            Adhesion.convention_id == convention_id, Adhesion.member_id == member_id
        )
    )


def list_adhesions(
    session: Session,
    *,
    limit: int,
    after: Sequence[str] | None = None,
    convention_id: int | None = None,
    member_id: int | None = None,
    only_member_code: str | None = None,
) -> Sequence[tuple[Adhesion, str, str]]:
    """(adhesion, convention code, member code) ordered by convention code then member code."""
    query = (
        select(Adhesion, Convention.code, Member.code)
        .join(Convention, Convention.id == Adhesion.convention_id)
        .join(Member, Member.id == Adhesion.member_id)
        .order_by(Convention.code, Member.code)
        .limit(limit + 1)
    )
    if after is not None and len(after) == 2:
        query = query.where(
            (Convention.code > after[0])
            | ((Convention.code == after[0]) & (Member.code > after[1]))
        )
    if convention_id is not None:
        query = query.where(Adhesion.convention_id == convention_id)
    if member_id is not None:
        query = query.where(Adhesion.member_id == member_id)
    if only_member_code is not None:
        query = query.where(Member.code == only_member_code)
    return [(row[0], row[1], row[2]) for row in session.execute(query)]

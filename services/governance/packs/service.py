"""Rules of the strategic committee's pack: only for a meeting of a strategic body, read and
written by the DSIT's staff, generated from live data, archived once and never changed after.

Decision: a meeting has at most one archived pack. Until it is archived, the pack is a preview
computed anew on each request; archiving stores its HTML and PDF bytes with their SHA-256 and
the figures they show, and from then on those bytes are served as they are, a new archive (or a
preview) is refused — whatever the meeting's status. A cancelled meeting gets no pack."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy.orm import Session

from kit.db import utcnow
from kit.errors import Conflict, Forbidden, NotFound
from kit.french import fr_date, quoted
from kit.identity import Principal
from services.governance.deps import record
from services.governance.models import Meeting, StrategicPack
from services.governance.packs import budget, content, document, repository

LEVELS_FR = {
    "political": "politique",
    "strategic": "stratégique",
    "user_committee": "un comité des usagers",
    "project_committee": "un comité de projet",
}


def ensure_dsit(principal: Principal) -> None:
    """The pack shows every member's figures: the DSIT's staff only."""
    if principal.member is not None:
        raise Forbidden(
            "The strategic committee's pack shows every member's figures: DSIT staff only.",
            detail_fr="Le dossier du comité stratégique présente les chiffres de tous les "
            "adhérents : il est réservé aux agents de la DSIT.",
            slug="dsit-only",
        )


def ensure_strategic(meeting: Meeting) -> None:
    level = meeting.body.level
    if level != "strategic":
        raise Conflict(
            f"Meeting {meeting.id} is of the body '{meeting.body.code}' ({level}): a pack is "
            "prepared for a meeting of a strategic body only.",
            detail_fr=f"La séance n° {meeting.id} est une séance de l'instance "
            f"{quoted(meeting.body.name)} ({LEVELS_FR.get(level, level)}) : le dossier du "
            "comité stratégique ne se prépare que pour une séance d'une instance stratégique.",
            slug="not-a-strategic-meeting",
        )


def ensure_not_archived(session: Session, meeting: Meeting) -> None:
    archived = repository.of_meeting(session, meeting.id)
    if archived is not None:
        raise Conflict(
            f"The pack of meeting {meeting.id} was archived on {archived.generated_at:%Y-%m-%d}: "
            "it is never generated again; download the archived one.",
            detail_fr=f"Le dossier de la séance n° {meeting.id} a été archivé le "
            f"{fr_date(archived.generated_at)} : il ne change plus et ne peut pas être généré "
            "de nouveau ; téléchargez la version archivée.",
            slug="pack-archived",
        )


def archived_pack(session: Session, meeting: Meeting) -> StrategicPack:
    ensure_strategic(meeting)
    pack = repository.of_meeting(session, meeting.id)
    if pack is None:
        raise NotFound(
            f"The pack of meeting {meeting.id} has not been archived yet.",
            detail_fr=f"Le dossier de la séance n° {meeting.id} n'a pas encore été archivé : "
            "consultez l'aperçu, puis archivez-le.",
            slug="pack-not-found",
        )
    return pack


def build(
    session: Session,
    *,
    meeting: Meeting,
    principal: Principal,
    sources: dict[str, Any],
    as_of: dt.date,
    generated_at: dt.datetime,
) -> dict[str, Any]:
    """The pack's figures, read now (``sources``: billing's and the registry's)."""
    bounds = content.period(session, meeting)
    start, end = bounds["from"], bounds["to"]
    names: dict[str, str] = sources.get("names") or {}
    year = meeting.held_on.year
    return content.plain(
        {
            "meeting": {
                "id": meeting.id,
                "title": meeting.title,
                "held_on": meeting.held_on,
                "location": meeting.location,
                "status": meeting.status,
                "body_code": meeting.body.code,
                "body_name": meeting.body.name,
            },
            "period": bounds,
            "as_of": as_of,
            "generated_at": generated_at,
            "portfolio": content.portfolio(session, start=start, end=end, as_of=as_of, names=names),
            "workload": content.workload(session, year=year, principal=principal),
            "quality": content.quality(session, start=start, end=end, names=names),
            "budget": budget.follow_up(sources, year),
            "follow_up": content.to_follow(session, meeting=meeting, as_of=as_of, names=names),
        }
    )


def preview(
    session: Session, *, meeting: Meeting, principal: Principal, sources: dict[str, Any]
) -> dict[str, Any]:
    ensure_strategic(meeting)
    ensure_not_archived(session, meeting)
    now = utcnow()
    return build(
        session,
        meeting=meeting,
        principal=principal,
        sources=sources,
        as_of=now.date(),
        generated_at=now,
    )


def ensure_archivable(session: Session, meeting: Meeting) -> None:
    ensure_strategic(meeting)
    ensure_not_archived(session, meeting)
    if meeting.status == "cancelled":
        raise Conflict(
            f"Meeting {meeting.id} was cancelled: it gets no pack.",
            detail_fr=f"La séance n° {meeting.id} est annulée : aucun dossier n'est archivé "
            "pour elle.",
            slug="meeting-cancelled",
        )


def archive(
    session: Session, *, meeting: Meeting, principal: Principal, sources: dict[str, Any]
) -> StrategicPack:
    """Generate the pack now and store it for good (irreversible)."""
    ensure_archivable(session, meeting)
    now = utcnow()
    figures = build(
        session,
        meeting=meeting,
        principal=principal,
        sources=sources,
        as_of=now.date(),
        generated_at=now,
    )
    html = document.html_bytes(figures)
    pdf = document.pdf_bytes(html)
    pack = StrategicPack(
        meeting_id=meeting.id,
        period_from=dt.date.fromisoformat(figures["period"]["from"]),
        period_to=dt.date.fromisoformat(figures["period"]["to"]),
        content=figures,
        html=html,
        html_sha256=hashlib.sha256(html).hexdigest(),
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        generated_at=now,
        generated_by=principal.audit_name,
    )
    session.add(pack)
    session.flush()
    record(
        session,
        principal,
        action="archive",
        resource_type="strategic_pack",
        resource_id=meeting.id,
        after=to_read(pack),
    )
    return pack


def to_read(pack: StrategicPack, *, with_content: bool = False) -> dict[str, Any]:
    base = f"/meetings/{pack.meeting_id}/pack"
    read: dict[str, Any] = {
        "meeting_id": pack.meeting_id,
        "period_from": pack.period_from,
        "period_to": pack.period_to,
        "generated_at": pack.generated_at,
        "generated_by": pack.generated_by,
        "html_sha256": pack.html_sha256,
        "pdf_sha256": pack.pdf_sha256,
        "html_size": len(pack.html),
        "pdf_size": len(pack.pdf),
        "links": {"html": f"{base}.html", "pdf": f"{base}.pdf"},
    }
    if with_content:
        read["content"] = pack.content
    return read

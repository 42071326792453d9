"""The forecast notifications as they were made available (CGCT D5211-16), archived for good.

When a forecast run succeeds, it is made available to the members; at that moment each
member's notification — unit costs, forecast amounts, cap — is written once as canonical JSON
(keys sorted, UTF-8) with its SHA-256 and the date it was made available. Reading a
notification afterwards reads the archive, never the run again, so the member, the comptable
or an auditor reads years later exactly what was notified and can check it against its hash.
Forecasts made available before the archive existed (release of 2026-12-02) have none: their
notification is still computed from the run and says so (``archive: null``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.billing.models import ForecastNotice, Run, RunMember


def canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def archive_run(session: Session, run: Run, notified: Any) -> None:
    """Archive every member's notification of a forecast run just made available;
    ``notified(run, row)`` gives the content (``service.notified_content``)."""
    assert run.made_available_at is not None
    rows = session.scalars(select(RunMember).where(RunMember.run_id == run.id)).all()
    for row in rows:
        data = canonical(notified(run, row))
        session.add(
            ForecastNotice(
                run_id=run.id,
                fiscal_year=run.fiscal_year,
                member_code=row.member_code,
                made_available_at=run.made_available_at,
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
            )
        )


def archived(session: Session, run_id: int, member_code: str) -> ForecastNotice | None:
    query = select(ForecastNotice).where(
        ForecastNotice.run_id == run_id, ForecastNotice.member_code == member_code
    )
    return session.scalars(query).one_or_none()


def notices(
    session: Session, *, fiscal_year: int | None, member_code: str | None
) -> Sequence[ForecastNotice]:
    query = select(ForecastNotice).order_by(ForecastNotice.made_available_at, ForecastNotice.id)
    if fiscal_year is not None:
        query = query.where(ForecastNotice.fiscal_year == fiscal_year)
    if member_code is not None:
        query = query.where(ForecastNotice.member_code == member_code)
    return session.scalars(query.limit(1000)).all()


def content_of(notice: ForecastNotice) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(notice.data)
    return content


def archive_read(notice: ForecastNotice) -> dict[str, Any]:
    made: dt.datetime = notice.made_available_at
    return {
        "sha256": notice.sha256,
        "made_available_at": made,
        "size_bytes": len(notice.data),
    }

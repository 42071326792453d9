"""Dependencies shared by the registry's endpoints: permissions and the member lookup (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from kit.db import DbSession
from kit.errors import NotFound
from kit.french import quoted
from kit.identity import Principal, require
from services.registry.members import repository as members_repository
from services.registry.models import Member

ReadPrincipal = Annotated[Principal, Depends(require("registry:read"))]
WritePrincipal = Annotated[Principal, Depends(require("registry:write"))]
GdprPrincipal = Annotated[Principal, Depends(require("gdpr:write"))]

MemberCode = Annotated[str, Path(min_length=1, max_length=60)]


def get_member_or_404(code: MemberCode, session: DbSession, principal: ReadPrincipal) -> Member:
    """The member named in the path; 404 when unknown or outside the principal's member scope."""
    principal.ensure_member(code)
    member = members_repository.get_by_code(session, code)
    if member is None:
        raise NotFound(
            f"No member '{code}'",
            detail_fr=f"Aucun adhérent ne porte le code {quoted(code)}.",
            slug="member-not-found",
        )

    return member


MemberDep = Annotated[Member, Depends(get_member_or_404)]

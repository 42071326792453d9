"""What the GDPR forms share: permissions, the form and confirmation pages, the posted
values."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import Response

from web.rendering import render
from web.session import User, require_page
from web.views.forms import check_csrf
from web.views.governance_forms import Form

Reader = Annotated[User, Depends(require_page("gdpr:read", staff_only=True))]
Writer = Annotated[User, Depends(require_page("gdpr:write", staff_only=True))]
GDPR = "/api/governance/gdpr"
PAGE = "pages/governance_form.html"
ItemId = Annotated[int, Path(ge=1, le=2**31)]
ERRORS = "Le formulaire contient des erreurs : corrigez les champs signalés."


async def posted(request: Request, user: User, names: tuple[str, ...]) -> dict[str, Any]:
    raw = await request.form()
    check_csrf(request, user, str(raw.get("csrf_token") or ""))
    values: dict[str, Any] = {n: str(raw.get(n) or "") for n in names}
    if "sub_processors" in names:
        values["sub_processors"] = [str(v) for v in raw.getlist("sub_processors")]
    values["confirmation"] = str(raw.get("confirmation") or "")
    return values


def form_page(request: Request, form: Form, status_code: int = 200, **context: Any) -> Response:
    return render(
        request, PAGE, PAGE, {"intro": "", "form": form, **context}, status_code=status_code
    )


def confirm_page(request: Request, **context: Any) -> Response:
    page = "pages/governance_confirm.html"
    return render(request, page, page, context)

"""What the master-plan and portfolio forms share: the form page, the posted values."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.responses import Response

from web.rendering import render
from web.session import User
from web.views.forms import check_csrf
from web.views.governance_forms import Form

PAGE = "pages/governance_form.html"
CodePath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
ERRORS = "Le formulaire contient des erreurs : corrigez les champs signalés."


def form_page(request: Request, form: Form, status_code: int = 200, **context: Any) -> Response:
    return render(
        request, PAGE, PAGE, {"intro": "", "form": form, **context}, status_code=status_code
    )


async def posted(request: Request, user: User, names: tuple[str, ...]) -> dict[str, str]:
    raw = await request.form()
    check_csrf(request, user, str(raw.get("csrf_token") or ""))
    return {n: str(raw.get(n) or "") for n in names}

"""What the registry's pages share: who may read and write, the submitted form, a page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import HTMLResponse

from web.rendering import render
from web.session import User, require_page
from web.views.forms import check_csrf

Reader = Annotated[User, Depends(require_page("registry:read", staff_only=True))]
Writer = Annotated[User, Depends(require_page("registry:write", staff_only=True))]
Eraser = Annotated[User, Depends(require_page("gdpr:write", staff_only=True))]
Code = Annotated[str, Path(max_length=60)]
FRENCH = {"Accept-Language": "fr"}  # the API's messages in French where it can


async def submitted(request: Request, user: User, *lists: str) -> dict[str, Any]:
    """The form's fields after the CSRF check (``lists``: fields sent several times)."""
    form = await request.form()
    check_csrf(request, user, str(form.get("csrf_token") or ""))
    out: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    for name in lists:
        out[name] = [v for v in form.getlist(name) if isinstance(v, str)]
    return out


def page(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    return render(request, template, template, context, status_code=status_code)

"""Templates and the rule that one template serves a full page or, for htmx, its fragment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

WEB_DIR = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=WEB_DIR / "templates")
HTMX_VERSION = "2.0.11"
templates.env.globals["htmx_script"] = f"/static/js/htmx-{HTMX_VERSION}.min.js"


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and not request.headers.get(
        "hx-history-restore-request"
    )


def render(
    request: Request,
    page: str,
    partial: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """The full ``page`` for a normal request, only ``partial`` for an htmx one."""
    from web.navigation import menu_for

    template = partial if is_htmx(request) else page
    user = getattr(request.state, "user", None)
    full_context = {
        "user": user,
        "menu": menu_for(user, dev_mailbox=request.app.state.settings.dev_mailbox_on),
        **context,
    }
    return templates.TemplateResponse(request, template, full_context, status_code=status_code)

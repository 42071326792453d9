"""The GLPI agent's path (``/api/catalogue/glpi-agent``): authenticated as the agent can.

The GLPI agent sends its first request without credentials and, answered 401 with
``WWW-Authenticate: Basic``, replays it with ``Authorization: Basic`` (its ``user`` and
``password`` options). The password is a machine token of scope ``inventory:write``; the user
name is free (the agent requires one: a name for the agent, the site…). A bearer credential is
taken too (a machine token, an access token), as on every other path. Refusals are the agent
protocol's ``{"status": "error", "message": …}``, which the agent logs, not problem+json.

Only this path takes Basic: everywhere else ``Authorization: Basic`` is refused as before.
"""

from __future__ import annotations

import base64
import binascii

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from gateway.auth import tokens
from gateway.auth.principal import authenticate
from gateway.auth.secrets import MACHINE_TOKEN_PREFIX
from kit.errors import AppError
from kit.identity import Principal

SERVICE, PATH = "catalogue", "glpi-agent"
BASIC_CHALLENGE = {"WWW-Authenticate": 'Basic realm="basic"'}
ECHOED = ("GLPI-Agent-ID", "GLPI-Request-ID")
NO_AUTHORIZATION = "Authorization header required to send an inventory"
WRONG_CREDENTIALS = "Access denied. Wrong login or password for basic authentication."
NO_SCOPE = (
    "Access denied. The token must have the scope inventory:write: create one in Mutualis "
    "(Comptes > Jetons des machines)"
)


def is_agent_path(service: str, path: str) -> bool:
    return service == SERVICE and path.strip("/") == PATH


class AgentRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def refusal(request: Request, error: AgentRefused) -> JSONResponse:
    headers = {name: request.headers[name] for name in ECHOED if name in request.headers}
    if error.status == 401:
        headers.update(BASIC_CHALLENGE)
    body = {"status": "error", "message": error.message}
    return JSONResponse(body, status_code=error.status, headers=headers)


def basic_token(value: str) -> str | None:
    """The password of a Basic credential (``user:password`` in base64), None if unreadable."""
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _user, colon, password = decoded.partition(":")
    return password if colon and password else None


def agent_principal(request: Request, session: Session) -> Principal:
    """The principal of an agent's request, allowed to write inventories; else AgentRefused."""
    authorization = request.headers.get("authorization", "").strip()
    if not authorization:
        raise AgentRefused(401, NO_AUTHORIZATION)
    scheme, _, value = authorization.partition(" ")
    principal: Principal | None = None
    if scheme.lower() == "basic":
        password = basic_token(value.strip())
        if password and password.startswith(MACHINE_TOKEN_PREFIX):
            principal = tokens.api_token_principal(session, password)
    elif scheme.lower() == "bearer":
        try:
            principal = authenticate(request, session)
        except AppError:
            principal = None
    if principal is None:
        raise AgentRefused(401, WRONG_CREDENTIALS)
    if not principal.has("inventory:write"):
        raise AgentRefused(403, NO_SCOPE)
    return principal

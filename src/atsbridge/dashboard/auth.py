"""Who is looking at the dashboard: the signed session cookie, the operator behind it, CSRF on every POST.

Failures are exceptions that :func:`atsbridge.dashboard.install` turns into pages: no session means a
redirect to the login page, a POST without a valid CSRF token is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request

from atsbridge.dashboard import operators, session
from atsbridge.dashboard.operators import Operator
from atsbridge.dashboard.session import Session
from atsbridge.runtime.state import AppState
from atsbridge.web import csrf
from atsbridge.web.forms import read_form

#: CSRF tokens live as long as the session they are bound to.
CSRF_TTL = session.SESSION_SECONDS


class LoginRequired(Exception):
    """No valid session: the operator is sent to the login page, then back to ``next_path``."""

    def __init__(self, next_path: str):
        super().__init__("login required")
        self.next_path = next_path

    def location(self) -> str:
        return "/dashboard/login?next=" + quote(self.next_path, safe="/")


class CsrfRejected(Exception):
    """A POST whose CSRF token is missing, foreign or expired."""


class PageNotFound(Exception):
    """A dashboard page for something that does not exist (an HTML 404, never a stack trace)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class Viewer:
    """The signed-in operator and what their pages need (the CSRF token for their forms)."""

    operator: Operator
    session: Session
    csrf_token: str

    def context(self) -> dict[str, Any]:
        return {"operator": self.operator, "csrf_token": self.csrf_token}


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.atsbridge
    return state


def viewer(request: Request) -> Viewer:
    """The signed-in operator (a FastAPI dependency); raises LoginRequired otherwise."""
    state = app_state(request)
    current = session.read(state.secret, request.cookies.get(session.COOKIE_NAME))
    next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if current is None:
        raise LoginRequired(next_path if request.method == "GET" else "/dashboard")
    with state.engine.connect() as conn:
        operator = operators.active(conn, current.operator_id)
    if operator is None:  # revoked (or deleted) since the cookie was issued: the session ends now
        raise LoginRequired(next_path if request.method == "GET" else "/dashboard")
    token = csrf.issue(state.secret, current.session_id, CSRF_TTL)
    return Viewer(operator, current, token)


async def posted_form(request: Request, who: Viewer) -> dict[str, str]:
    """The POSTed form, once its CSRF token proved it comes from one of this session's pages."""
    form = await read_form(request)
    if not csrf.valid(app_state(request).secret, who.session.session_id, form.get("csrf_token")):
        raise CsrfRejected()
    return form


def safe_next(value: str | None) -> str:
    """Only local dashboard paths are followed after login (no open redirect)."""
    if value and value.startswith("/dashboard") and not value.startswith("//") and "\\" not in value:
        return value
    return "/dashboard"


#: The route parameter that requires a signed-in operator.
Who = Annotated[Viewer, Depends(viewer)]

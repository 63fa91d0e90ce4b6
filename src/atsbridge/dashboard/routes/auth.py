"""Signing in with an operator token, and out again.

The login form is itself CSRF-protected: a short-lived nonce cookie (``atsbridge_login``) is what its token
is bound to, so another site cannot sign a browser in to an account of its choosing.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from atsbridge.dashboard import operators, session
from atsbridge.dashboard.auth import Who, app_state, posted_form, safe_next
from atsbridge.dashboard.render import page
from atsbridge.web import csrf
from atsbridge.web.forms import read_form

router = APIRouter(include_in_schema=False)

LOGIN_COOKIE = "atsbridge_login"
LOGIN_TTL = 3600


def _secure(request: Request) -> bool:
    public_url = app_state(request).settings.public_url or ""
    return public_url.startswith("https://")


def _login_page(request: Request, next_path: str, error: str | None = None, status_code: int = 200) -> Response:
    nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(16)
    token = csrf.issue(app_state(request).secret, f"login|{nonce}", LOGIN_TTL)
    response = page("dashboard/login.html", status_code=status_code, next_path=next_path, error=error, csrf_token=token)
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=LOGIN_TTL,
        path="/dashboard/login",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return _login_page(request, safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await read_form(request)
    next_path = safe_next(form.get("next"))
    state = app_state(request)
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not nonce or not csrf.valid(state.secret, f"login|{nonce}", form.get("csrf_token")):
        return _login_page(request, next_path, "The form expired; please sign in again.", status_code=403)
    with state.engine.connect() as conn:
        operator = operators.by_token(conn, form.get("token", ""))
    if operator is None:
        return _login_page(request, next_path, "token: unknown or revoked operator token", status_code=401)
    cookie, _ = session.issue(state.secret, operator.id)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        session.COOKIE_NAME,
        cookie,
        max_age=session.SESSION_SECONDS,
        path="/dashboard",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_COOKIE, path="/dashboard/login")
    return response


@router.post("/logout")
async def logout(request: Request, who: Who) -> Response:
    await posted_form(request, who)
    response = RedirectResponse("/dashboard/login", status_code=303)
    response.delete_cookie(session.COOKIE_NAME, path="/dashboard")
    return response

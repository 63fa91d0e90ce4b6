"""kit.Either: one Connect form for two kinds of credential; the filled pair is the one used."""

from __future__ import annotations

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo

AUTH = kit.Either(
    kit.Basic(kit.Text("username", "User"), kit.Secret("password", "Password")),
    kit.Bearer(kit.Secret("token", "Token", help="a personal token.")),
    labels=("Basic: ", "Or: "),
)


def _sent(credentials: dict[str, str]) -> str:
    auth = AUTH.build(IntegrationInfo("i", "t", {}, credentials), "http://x", None)
    assert auth is not None
    request = next(auth.auth_flow(httpx.Request("GET", "http://x/")))
    return request.headers.get("authorization", "")


def test_both_pairs_are_asked_each_optional_and_labelled() -> None:
    assert [(f.key, f.required) for f in AUTH.fields] == [("username", False), ("password", False), ("token", False)]
    assert AUTH.fields[2].help == "Or: a personal token." and AUTH.fields[0].help == "Basic"


def test_the_filled_pair_is_used_and_the_first_wins_a_tie() -> None:
    assert _sent({"token": "t0k"}) == "Bearer t0k"
    assert _sent({"username": "u", "password": "p"}).startswith("Basic ")
    assert _sent({"username": "u", "password": "p", "token": "t0k"}).startswith("Basic ")
    assert _sent({"username": "u", "token": "t0k"}) == "Bearer t0k"  # an incomplete first pair is not chosen

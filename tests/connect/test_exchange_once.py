"""The Connect exchange token works once: a second exchange, or the loser of two racing ones, gets the
contract's error for an unknown or expired token (on SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from kombo import Kombo

from tests.conftest import Server
from tests.connect.helpers import submit, token_of


def _exchange_token(server: Server, api_key: str) -> str:
    k = Kombo(api_key=api_key, server_url=server.v1)
    link = k.connect.create_connection_link(
        end_user_email="hr@acme.example", end_user_organization_name="Acme", integration_category="ATS",
        integration_tool="sandbox",
    ).data.link  # fmt: skip
    done = submit(link, "sandbox", {"size": "tiny"})
    assert done.status_code == 200, done.text[:500]
    return token_of(done.text)


def _exchange(server: Server, api_key: str, token: str) -> httpx.Response:
    return httpx.get(
        f"{server.v1}/connect/integration-by-token/{token}", headers={"Authorization": f"Bearer {api_key}"}
    )


def _is_unknown_token(answer: httpx.Response) -> bool:
    error = answer.json()["error"]
    return answer.status_code == 400 and (error["code"], error["message"]) == (
        "PLATFORM.INPUT_INVALID",
        "token: unknown or expired",
    )


def test_a_second_exchange_is_refused(server: Server, api_key: str) -> None:
    token = _exchange_token(server, api_key)
    first = _exchange(server, api_key, token)
    assert first.status_code == 200 and first.json()["data"]["tool"] == "sandbox"
    assert _is_unknown_token(_exchange(server, api_key, token))


def test_racing_exchanges_make_exactly_one_success(server: Server, api_key: str) -> None:
    for _ in range(3):
        token = _exchange_token(server, api_key)
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(_exchange, [server] * 4, [api_key] * 4, [token] * 4))
        assert sum(a.status_code == 200 for a in answers) == 1, [a.text[:200] for a in answers]
        assert all(_is_unknown_token(a) for a in answers if a.status_code != 200)

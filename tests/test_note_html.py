"""Plain text never reaches a ``*_html`` field unescaped: the helpers, every note mapper that turns vendor text
into ``content_html``, and a PLAIN_TEXT note written through the API (sandbox and the Greenhouse fake) and
read back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from atsbridge.connectors.ashby.mappers import as_html
from atsbridge.connectors.ashby.people import map_note as ashby_note
from atsbridge.connectors.base import MapContext
from atsbridge.connectors.greenhouse.mappers import note as greenhouse_note
from atsbridge.connectors.lever.mappers import note_html as lever_note
from atsbridge.connectors.recruitee.mappers import note_html as recruitee_note
from atsbridge.connectors.sandbox.mappers import map_note as sandbox_note
from atsbridge.connectors.teamtailor.mappers import note_html as teamtailor_note
from atsbridge.connectors.workable.mappers import comment_html as workable_note
from atsbridge.core.config import Settings
from atsbridge.core.richtext import html_or_text, text_to_html
from tests.conftest import Sandbox, Server, make_sandbox
from tests.test_write_claims import Tenant, tenant  # noqa: F401  (the Greenhouse fake tenant fixture)

ATTACK = "a < b & <script>x</script>"
ESCAPED = "<p>a &lt; b &amp; &lt;script&gt;x&lt;/script&gt;</p>"
CTX = MapContext("x:notes")


def test_plain_text_is_escaped_and_keeps_its_lines() -> None:
    assert text_to_html(ATTACK) == ESCAPED
    assert text_to_html('one\n"two"\r\nthree') == "<p>one<br>&quot;two&quot;<br>three</p>"


@pytest.mark.parametrize(
    "given",
    [
        ATTACK,
        "<script>alert(1)</script>",
        "<p>hi</p><img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="alert(1)">x</p>',
        "<p>x</p><!-- <script>alert(1)</script> -->",
        "<style>body{display:none}</style>",
        "<iframe src=https://evil.example></iframe>",
        "<scr<script>ipt>alert(1)</script>",
        "<svg/onload=alert(1)>",
        '<a href="https://x.example"',
    ],
)
def test_text_that_may_be_html_is_escaped_unless_it_is_only_formatting(given: str) -> None:
    out = html_or_text(given)
    assert out == text_to_html(given)
    assert "<script" not in out and "<img" not in out and "<a " not in out and "<!--" not in out


def test_formatting_markup_passes_unchanged() -> None:
    rich = '<p>Call <strong>Monday</strong><br>see <a href="https://x.example/r">report</a></p><ul><li>a</li></ul>'
    assert html_or_text(rich) == rich


def _content(records: Any) -> Any:
    (rec,) = list(records)
    return rec.fields["content_html"]


MAPPERS: dict[str, Callable[[str], Any]] = {
    "greenhouse": lambda t: _content(greenhouse_note({"id": 1, "candidate_id": 2, "body": t}, CTX)),
    "ashby": lambda t: _content(ashby_note({"id": "n", "_candidate_id": "c", "content": t}, CTX)),
    "ashby (as_html)": as_html,
    "lever": lambda t: lever_note([{"type": "note", "value": t}]),
    "recruitee": lambda t: recruitee_note({"body": t}),
    "teamtailor": teamtailor_note,
    "workable": workable_note,
}


@pytest.mark.parametrize("vendor", list(MAPPERS))
def test_every_note_mapper_escapes_plain_text(vendor: str) -> None:
    assert MAPPERS[vendor](ATTACK) == ESCAPED
    assert "<script" not in MAPPERS[vendor]("<script>alert(1)</script>")


def test_the_sandbox_mapper_keeps_its_atss_html_bodies() -> None:
    """The sandbox ATS stores HTML bodies (its writes escape plain text on the way in, see below)."""
    assert _content(sandbox_note({"id": "n", "candidateId": "c", "body": "<p>ok</p>"}, CTX)) == "<p>ok</p>"


# ------------------------------------------------------------------------------------------- through the API


def _notes_of(v1: str, headers: dict[str, str], application_id: str) -> list[str]:
    got = httpx.get(f"{v1}/ats/notes", params={"application_ids": application_id}, headers=headers)
    assert got.status_code == 200, got.text
    return [n["content_html"] for n in got.json()["data"]["results"]]


def _write_and_read(v1: str, headers: dict[str, str], application_id: str) -> list[str]:
    for content in (ATTACK, "<img src=x onerror=alert(1)>"):
        body = {"content": content, "content_type": "PLAIN_TEXT"}
        made = httpx.post(f"{v1}/ats/applications/{application_id}/notes", json=body, headers=headers)
        assert made.status_code == 200, made.text
    return _notes_of(v1, headers, application_id)


def test_a_plain_text_note_through_the_api_is_escaped_sandbox(
    engine: Engine, settings: Settings, server: Server
) -> None:
    sbx: Sandbox = make_sandbox(engine, settings, "tiny", seed=5)
    headers = {"Authorization": f"Bearer {sbx.key}", "X-Integration-Id": sbx.integration_id}
    apps = httpx.get(f"{server.v1}/ats/applications", params={"page_size": 1}, headers=headers).json()
    contents = _write_and_read(server.v1, headers, apps["data"]["results"][0]["id"])
    assert ESCAPED in contents and "<p>&lt;img src=x onerror=alert(1)&gt;</p>" in contents
    assert not any("<script" in c or "<img" in c for c in contents)


def test_a_plain_text_note_through_the_api_is_escaped_greenhouse(tenant: Tenant) -> None:  # noqa: F811
    t = tenant
    apps = httpx.get(f"{t.v1}/ats/applications", params={"page_size": 1}, headers=t.headers()).json()
    contents = _write_and_read(t.v1, t.headers(), apps["data"]["results"][0]["id"])
    assert ESCAPED in contents and "<p>&lt;img src=x onerror=alert(1)&gt;</p>" in contents
    assert not any("<script" in c or "<img" in c for c in (x or "" for x in contents))

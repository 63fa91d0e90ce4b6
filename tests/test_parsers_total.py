"""Every parser of untrusted text is total: any text or bytes gives either a valid parse or the module's own
clean error, never another exception (TypeError from ``hmac.compare_digest``, OverflowError from a date
at the calendar's edge, ValueError from ``int("²")``, UnicodeEncodeError from a lone surrogate...).

Property tests with hypothesis, bounded (``max_examples``) so the file runs in seconds. The HTTP-level
ones check the same through the app on SQLite and PostgreSQL, where NUL bytes used to reach the database.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from starlette.testclient import TestClient

from atsbridge.api.app import create_app
from atsbridge.api.files import _token, read_token
from atsbridge.connect import links
from atsbridge.core.config import Settings
from atsbridge.core.cursor import CursorCodec, query_fingerprint
from atsbridge.core.errors import ApiError
from atsbridge.core.ids import hash_api_key
from atsbridge.core.safetext import bad_char, find_in_json, same_token
from atsbridge.core.timeutil import parse_ts
from atsbridge.dashboard import session
from atsbridge.dashboard.queries.webhooks import _parse_cursor
from atsbridge.fields.service import decode_cursor, encode_cursor
from atsbridge.store import platform
from atsbridge.web import csrf
from atsbridge.webhooks import signing
from tests.conftest import Sandbox

SECRET = b"s" * 32
FAST = hypothesis_settings(max_examples=300, deadline=None, database=None)
#: Any text at all: hypothesis leaves lone surrogates out of ``st.text()`` unless asked.
ANY_TEXT = st.text(st.characters(exclude_categories=[]))
#: Text that looks like our tokens (ASCII, dots, digits) plus anything at all, including lone surrogates.
TOKENISH = st.one_of(
    ANY_TEXT,
    st.text(alphabet=st.sampled_from("0123456789.-_=abcXYZ²١é\x00\ud800"), max_size=80),
    st.builds(lambda a, b: f"{a}.{b}", st.text(max_size=40), st.text(max_size=40)),
)


def _clean_error(exc: ApiError) -> None:
    assert exc.code == "PLATFORM.INPUT_INVALID"
    assert exc.status in (400, 404)


# ------------------------------------------------------------------------------------------- cursors
@FAST
@given(TOKENISH)
@example("eyJ2IjoxfQ.é")  # non-ASCII signature: TypeError in compare_digest before the fix
@example("x" * 100_000)
def test_list_cursor_decode_is_total(text: str) -> None:
    codec = CursorCodec(SECRET)
    try:
        codec.decode(text, "fp")
    except ApiError as exc:
        _clean_error(exc)


@FAST
@given(st.text(max_size=40), st.text(max_size=20), st.integers(min_value=0), st.text(min_size=1, max_size=3))
def test_cursor_round_trips_and_any_edit_is_refused(last_id: str, fp: str, pos: int, junk: str) -> None:
    codec = CursorCodec(SECRET)
    cursor = codec.encode(last_id, fp)
    assert codec.decode(cursor, fp) == last_id
    cut = pos % (len(cursor) + 1)
    edited = cursor[:cut] + junk + cursor[cut:]
    try:
        assert codec.decode(edited, fp) == last_id  # an edit is refused, or (padding) reads the same
    except ApiError as exc:
        _clean_error(exc)


@FAST
@given(TOKENISH)
def test_events_and_deliveries_cursors_are_total(text: str) -> None:
    """Both are CursorCodec cursors whose value is a log position; a valid one always holds digits."""
    codec = CursorCodec(SECRET)
    for fingerprint in ("events:env_1", query_fingerprint({"w": "wh_1", "s": None})):
        try:
            int(codec.decode(text, fingerprint))
        except ApiError as exc:
            _clean_error(exc)
    assert int(codec.decode(codec.encode("42", "events:env_1"), "events:env_1")) == 42


@FAST
@given(TOKENISH)
@example("é")
def test_field_cursor_decode_is_total(text: str) -> None:
    try:
        value = decode_cursor(text)
    except ApiError as exc:
        _clean_error(exc)
    else:
        assert encode_cursor(value) == text or not text


@FAST
@given(TOKENISH)
@example("²:del_1")  # str.isdigit() accepts it, int() does not
def test_dashboard_deliveries_cursor_is_total(text: str) -> None:
    parsed = _parse_cursor(text)
    assert parsed is None or (parsed[0] >= 0 and isinstance(parsed[1], str))


# ------------------------------------------------------------------------------------- file tokens
@FAST
@given(TOKENISH)
@example("WyJhIiwiYiIsMV0.é")
def test_file_token_is_total(text: str) -> None:
    try:
        read_token(SECRET, text)
    except ApiError as exc:
        _clean_error(exc)


def test_file_token_round_trips() -> None:
    class _State:
        secret = SECRET

    token = _token(_State(), "int_1", "att_1", 123)  # type: ignore[arg-type]
    assert read_token(SECRET, token) == ("int_1", "att_1", 123)
    with pytest.raises(ApiError):
        read_token(SECRET, token[:-1] + ("A" if token[-1] != "A" else "B"))


# -------------------------------------------------------------------------------------- timestamps
@FAST
@given(st.one_of(st.text(max_size=60), st.datetimes().map(str), st.datetimes().map(datetime.isoformat)))
@example("0001-01-01T00:00:00+01:00")
@example("9999-12-31T23:59:59-01:00")
@example("٢٠٢٤-01-01")
def test_parse_ts_is_total(text: str) -> None:
    try:
        parsed = parse_ts(text)
    except ValueError:
        return
    assert parsed.tzinfo is not None
    assert 1 <= parsed.year <= 9999


@FAST
@given(
    st.datetimes(),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
)
def test_parse_ts_offsets_near_the_calendar_edges(moment: datetime, offset_minutes: int) -> None:
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text = f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}{sign}{hours:02d}:{minutes:02d}"
    try:
        parsed = parse_ts(text)
    except ValueError as exc:
        assert "outside the years" in str(exc)
    else:
        assert parsed == datetime.fromisoformat(text)


# ------------------------------------------------------------------------------ CSRF, cookies, links
@FAST
@given(TOKENISH)
@example(f"{int(time.time()) + 60}.é")
@example("²²²²²²²²²²²²².x")
def test_csrf_valid_is_total(text: str) -> None:
    assert csrf.valid(SECRET, "subject", text) in (True, False)


def test_csrf_round_trip() -> None:
    token = csrf.issue(SECRET, "subject")
    assert csrf.valid(SECRET, "subject", token)
    assert not csrf.valid(SECRET, "other", token)


@FAST
@given(TOKENISH)
@example("op_1.sess.9999999999.é")
@example("op_1.sess.²².mac")
@example("op\ud800.sess.1.mac")
def test_session_cookie_read_is_total(text: str) -> None:
    assert session.read(SECRET, text) is None or text.isascii()


def test_session_round_trip() -> None:
    cookie, issued = session.issue(SECRET, "op_1")
    assert session.read(SECRET, cookie) == issued
    assert session.read(SECRET, cookie[:-1] + "é") is None


@FAST
@given(TOKENISH, st.binary(max_size=64))
def test_webhook_signature_verify_is_total(text: str, body: bytes) -> None:
    assert signing.verify("whsec_x", body, text) in (True, False)
    assert signing.verify("whsec_x", body, signing.sign("whsec_x", body))


@FAST
@given(ANY_TEXT)
def test_secret_digests_are_total(text: str) -> None:
    """Connect link secrets, exchange tokens and API keys are looked up by hash: hashing never raises."""
    assert len(links.digest(text)) == 64
    assert len(hash_api_key(text)) == 64


@hypothesis_settings(max_examples=40, deadline=None, database=None)
@given(TOKENISH)
def test_connect_link_and_exchange_lookups_are_total(engine: Engine, text: str) -> None:
    with engine.connect() as conn:
        assert links.find(conn, text) is None
        assert links.consume_exchange_token(conn, "env_none", text) is None


# ---------------------------------------------------------------------------------- text guard
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=20,
)


@FAST
@given(JSON)
def test_find_in_json_finds_exactly_the_bad_strings(value: Any) -> None:
    found = find_in_json(value)

    def strings(item: Any) -> list[str]:
        if isinstance(item, str):
            return [item]
        if isinstance(item, dict):
            return [s for k, v in item.items() for s in [k, *strings(v)]]
        if isinstance(item, list):
            return [s for v in item for s in strings(v)]
        return []

    any_bad = any(bad_char(s) is not None for s in strings(value))
    any_bad_key = False
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            any_bad_key |= any(bad_char(k, single_line=True) is not None for k in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    assert (found is not None) == (any_bad or any_bad_key)


def test_find_in_json_depth_is_bounded() -> None:
    deep: Any = "x"
    for _ in range(10_000):
        deep = [deep]
    assert find_in_json(deep) == ("/0" * 64, "")


@FAST
@given(ANY_TEXT, ANY_TEXT)
def test_same_token_is_total(a: str, b: str) -> None:
    assert same_token(a, b) == (a == b and a.isascii())


# ------------------------------------------------------------------------------ through the app
@pytest.fixture(scope="module")
def client(engine: Engine, settings: Settings) -> TestClient:
    return TestClient(create_app(settings, engine, migrate=False), raise_server_exceptions=False)


@hypothesis_settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(
        [
            "/v1/ats/candidates?email={}",
            "/v1/ats/candidates?ids={}",
            "/v1/ats/candidates?updated_after={}",
            "/v1/ats/candidates?cursor={}",
            "/v1/ats/applications/{}/attachments",
            "/v1/events?after={}",
            "/v1/webhooks/wh_x/deliveries?cursor={}",
            "/v1/files/{}",
            "/v1/integrations/{}",
            "/v1/connect/integration-by-token/{}",
        ]
    ),
    ANY_TEXT,
)
@example("/v1/ats/candidates?email={}", "a\x00b")
@example("/v1/ats/candidates?updated_after={}", "9999-12-31T23:59:59-01:00")
@example("/v1/files/{}", "WyJhIl0.é")
def test_any_text_in_any_parameter_is_never_a_server_error(
    client: TestClient, tiny_sandbox: Sandbox, template: str, text: str
) -> None:
    from urllib.parse import quote

    headers = {"Authorization": f"Bearer {tiny_sandbox.key}", "X-Integration-Id": tiny_sandbox.integration_id}
    encoded = quote(text.encode("utf-8", "surrogatepass"), safe="")
    if not encoded and "?" not in template:
        return  # an empty path segment is another route
    response = client.get(template.format(encoded), headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.json()["status"] == "error"


@hypothesis_settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_any_json_body_is_never_a_server_error(client: TestClient, tiny_sandbox: Sandbox, body: Any) -> None:
    import json

    headers = {
        "Authorization": f"Bearer {tiny_sandbox.key}",
        "X-Integration-Id": tiny_sandbox.integration_id,
        "Content-Type": "application/json",
    }
    raw = json.dumps({"candidate": body, "note": body}).encode()
    response = client.post("/v1/webhooks", content=raw, headers=headers)
    assert response.status_code < 500, response.text


@pytest.fixture(scope="module")
def own_key(engine: Engine) -> str:
    """A fresh environment: the custom fields created below must not show up in other tests' listings."""
    with engine.begin() as conn:
        env = platform.create_environment(conn, "parsers-total")
        return platform.create_api_key(conn, env, "test")


@hypothesis_settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
@example("a\x00b")
@example("a\ud800b")
def test_body_text_is_stored_exactly_or_refused_naming_the_field(client: TestClient, own_key: str, text: str) -> None:
    import json

    headers = {"Authorization": f"Bearer {own_key}", "Content-Type": "application/json"}
    key = f"k{abs(hash(text))}"
    raw = json.dumps({"model": "candidates", "key": key, "label": text}).encode()
    response = client.post("/v1/custom-fields", content=raw, headers=headers)
    assert response.status_code in (200, 400), response.text
    if bad_char(text) is not None:
        assert response.status_code == 400
        assert response.json()["error"]["message"].startswith("body /label: contains U+")
    elif response.status_code == 200:
        assert response.json()["data"]["label"] == text


@pytest.mark.parametrize(
    ("path", "cookie", "status"),
    [
        ("/dashboard/integrations/a%00b", None, 400),
        ("/dashboard/integrations/x/records/candidates?q=a%00b", None, 400),
        ("/dashboard", "atsbridge_session=op.sess.9999999999.\xc3\xa9", 303),  # to the login page
        ("/connect/ab%00cd", None, 400),
        ("/connect/%ED%A0%80", None, 404),
    ],
)
def test_html_pages_answer_html_errors(client: TestClient, path: str, cookie: str | None, status: int) -> None:
    headers = [(b"cookie", cookie.encode("latin-1"))] if cookie else []
    response = client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == status, response.text
    if status != 303:
        assert response.headers["content-type"].startswith("text/html")
        assert "<!doctype html>" in response.text


# ----------------------------------------------------------------------------- the guard itself
def _request(headers: list[tuple[bytes, bytes]], body: bytes = b"", method: str = "POST", query: bytes = b"") -> Any:
    from starlette.requests import Request

    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {
        "type": "http",
        "method": method,
        "path": "/x",
        "query_string": query,
        "headers": headers,
        "path_params": {"integration_id": "int\x07x"} if b"path" in query else {},
    }
    return Request(scope, receive)


@pytest.mark.parametrize(
    ("headers", "body", "query", "field"),
    [
        ([(b"x-integration-id", b"a\x00b")], b"", b"", "x-integration-id"),
        ([(b"idempotency-key", b"k\x1b[2J")], b"", b"", "idempotency-key"),
        ([], b"", b"path", "integration_id"),
        ([], b"", b"email=a%0Ab", "email"),
        ([], b"", b"a%00=1", "query parameter name"),
        ([(b"content-type", b"application/x-www-form-urlencoded")], b"token=a%00b", b"", "token"),
        ([(b"content-type", b"application/json")], b'{"a":[1,{"b~/c":"\\u0001"}]}', b"", "body /a/1/b~0~1c"),
        ([], b'{"a":"\\udfff"}', b"", "body /a"),
    ],
)
def test_guard_names_the_field(headers: list[tuple[bytes, bytes]], body: bytes, query: bytes, field: str) -> None:
    import asyncio

    from atsbridge.api.textguard import refuse_control_characters

    with pytest.raises(ApiError) as caught:
        asyncio.run(refuse_control_characters(_request(headers, body, query=query)))
    assert caught.value.message.startswith(f"{field}: "), caught.value.message
    assert caught.value.code == "PLATFORM.INPUT_INVALID"


@pytest.mark.parametrize(
    "body",
    [b'{"note":"line one\\nline two\\ttabbed\\r\\n"}', b"not json at all \x00", b"", b'{"x": "\\u007f\\u0085"}'],
)
def test_guard_lets_free_text_and_foreign_bodies_through(body: bytes) -> None:
    """Line breaks and tabs are fine in body text; malformed JSON is left to the route's own message."""
    import asyncio

    from atsbridge.api.textguard import refuse_control_characters

    asyncio.run(refuse_control_characters(_request([(b"content-type", b"application/json")], body)))

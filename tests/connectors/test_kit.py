"""The connector kit's own behaviour: stream order, reads, lookups, since, deletions, auth, errors, create-once,
the write table and outcome rules. Vendors' tests then only cover their declarations and mappers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.base import FormField, IntegrationInfo, MapContext, UnifiedRecord
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.outcomes import parse_status_map, status_map_of
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Handler = Callable[[httpx.Request], httpx.Response]


def no_map(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    return iter(())


def page(rows: list[Raw], next_token: str | None = None) -> httpx.Response:
    return httpx.Response(200, json={"data": rows, "next": next_token, "hasNext": next_token is not None})


API = kit.VendorApi(
    base_url="https://ats.test/v1",
    auth=kit.Basic(kit.Secret("api_key", "API key")),
    pager=kit.BodyToken(token_path="next", more_path="hasNext", param="offset", size_param="limit", page_size=2),
    records_path="data",
    batch=2,
)
INFO = IntegrationInfo("i1", "tool", {}, {"api_key": "k"})
PARENTS: kit.Lookup[Raw] = kit.Lookup("parents")


def source(
    handler: Handler, streams: tuple[kit.KitStream, ...] = (), api: kit.VendorApi = API, **kw: Any
) -> kit.KitSource:
    client = api.client(INFO, httpx.MockTransport(handler))
    return kit.KitSource(api, client, {}, streams=kit.resolve(streams), **kw)


def read_all(src: kit.KitSource, stream: kit.KitStream, since: datetime | None = None) -> list[Raw]:
    async def go() -> list[Raw]:
        try:
            return [raw async for p in src.read(stream, since) for raw in p]
        finally:
            await src.aclose()

    return asyncio.run(go())


# ------------------------------------------------------------------------------------------------ order


def test_streams_are_ordered_by_the_lookups_they_read_whatever_the_declaration_order() -> None:
    child = kit.stream("child", "notes", no_map, kit.FanOut(PARENTS, {"n": "/p/{key}/notes"}))
    parent = kit.stream("parent", "candidates", no_map, kit.Listed("/p"), publishes=[kit.Publish(PARENTS, kit.row)])
    users = kit.stream("users", "users", no_map, kit.Listed("/users"))
    ordered = kit.resolve((child, users, parent))
    assert [s.name for s in ordered] == ["parent", "child", "users"]  # dependencies pulled in just before
    assert ordered[1].depends_on == ("parent",)


def test_a_cycle_or_a_lookup_nobody_publishes_is_a_clear_error() -> None:
    other: kit.Lookup[Raw] = kit.Lookup("other")
    a = kit.stream(
        "a", "users", no_map, kit.FanOut(other, {"x": "/x/{key}"}), publishes=[kit.Publish(PARENTS, kit.row)]
    )
    b = kit.stream("b", "tags", no_map, kit.FanOut(PARENTS, {"x": "/y/{key}"}), publishes=[kit.Publish(other, kit.row)])
    with pytest.raises(kit.StreamOrderError, match="cycle: a -> b -> a"):
        kit.resolve((a, b))
    with pytest.raises(kit.StreamOrderError, match="which no stream publishes"):
        kit.resolve((b,))
    with pytest.raises(ValueError, match="reason"):
        kit.Custom(lambda s, since: aiter([]), reason=" ")


# ------------------------------------------------------------------------------------------------ reads


def test_listed_pages_send_since_in_the_declared_format_and_steps_enrich_each_row() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/items":
            if request.url.params.get("offset") == "t2":
                return page([{"id": "c"}])
            return page([{"id": "a"}, {"id": "b"}], "t2")
        item = request.url.path.split("/")[3]
        if item == "b":
            return httpx.Response(404, json={"message": "gone"})
        return httpx.Response(200, json={"data": {"form": item}})

    stream = kit.stream(
        "items", "jobs", no_map, kit.Listed("/items", {"x": "1"}, since=kit.Since("updated_at_start", kit.epoch_ms)),
        steps=[kit.Detail("/items/{id}/form", into="_form", data_path="data"), kit.Position("_index")],
    )  # fmt: skip
    since = datetime(2024, 1, 1, tzinfo=UTC)
    rows = read_all(source(handle, (stream,)), stream, since)
    assert [(r["id"], r["_form"], r["_index"]) for r in rows] == [
        ("a", {"form": "a"}, 0),
        ("b", None, 1),
        ("c", {"form": "c"}, 2),
    ]
    listing = [r for r in seen if r.url.path == "/v1/items"]
    assert listing[0].url.params["updated_at_start"] == str(int(since.timestamp() * 1000))
    assert listing[0].url.params["x"] == "1" and listing[0].url.params["limit"] == "2"


def test_a_detail_failure_other_than_the_tolerated_statuses_fails_the_read() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/items":
            return page([{"id": "a"}])
        return httpx.Response(403, json={"message": "no"})

    stream = kit.stream("items", "jobs", no_map, kit.Listed("/items"), steps=[kit.Detail("/items/{id}", into="_d")])
    with pytest.raises(RemoteError) as caught:
        read_all(source(handle, (stream,)), stream)
    assert caught.value.code == "INTEGRATION.PERMISSION_MISSING"


def _parents_and_children(handle: Handler) -> tuple[kit.KitSource, kit.KitStream, kit.KitStream]:
    parent = kit.stream(
        "parents", "candidates", no_map, kit.Listed("/parents"),
        publishes=[kit.Publish(PARENTS, lambda raw: {"id": raw["id"], "tiny": True})],
    )  # fmt: skip
    child = kit.stream(
        "children", "notes", no_map,
        kit.FanOut(PARENTS, {"notes": "/parents/{key}/notes", "files": "/parents/{id}/files"},
                   parent_into="_parent", label_into="_kind"),
    )  # fmt: skip
    return source(handle, (parent, child)), parent, child


def fan_out_handler(calls: list[str]) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        path = request.url.path
        if path == "/v1/parents":
            return page([{"id": "p1"}, {"id": "p 2"}, {"id": "p3"}])
        if "p3" in path:
            return httpx.Response(404, json={})  # deleted meanwhile: no children
        kind = path.rsplit("/", 1)[1]
        return page([{"id": f"{path}-{kind}"}])

    return handle


def test_fan_out_lists_children_of_each_listed_parent_in_batches_and_tolerates_a_gone_parent() -> None:
    calls: list[str] = []
    src, parent, child = _parents_and_children(fan_out_handler(calls))

    async def go() -> list[list[Raw]]:
        async for _ in src.read(parent, None):
            pass
        pages = [p async for p in src.read(child, None)]
        await src.aclose()
        return pages

    pages = asyncio.run(go())
    assert [len(p) for p in pages] == [4]  # batch of 2 parents x 2 paths; the second batch (p3) had none
    assert {r["_kind"] for r in pages[0]} == {"notes", "files"}
    assert pages[0][0]["_parent"] == {"id": "p1", "tiny": True}
    assert "/v1/parents/p%202/notes" in [c.replace(" ", "%20") for c in calls]


def test_a_lookup_whose_publisher_was_not_listed_is_listed_on_demand() -> None:
    calls: list[str] = []
    src, _parent, child = _parents_and_children(fan_out_handler(calls))
    rows = read_all(src, child)
    assert calls[0] == "/v1/parents" and len(rows) == 4


def test_derived_and_static_rows_need_no_request() -> None:
    calls: list[str] = []
    src, parent, _child = _parents_and_children(fan_out_handler(calls))
    derived = kit.stream("d", "applications", no_map, kit.Derived(PARENTS, lambda key, value: [{"id": f"app-{key}"}]))
    static = kit.stream("s", "roles", no_map, kit.Static(lambda: [{"id": "r"}]))
    src.streams.update({"d": derived, "s": static})
    assert [r["id"] for r in read_all(src, derived)] == ["app-p1", "app-p 2", "app-p3"]
    assert calls == ["/v1/parents"]
    assert read_all(source(fan_out_handler([]), (static,)), static) == [{"id": "r"}]


def test_attach_puts_the_lookup_entry_on_each_row() -> None:
    reasons: kit.Lookup[Raw] = kit.Lookup("reasons")

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/reasons":
            return page([{"id": "r1", "type": "hired"}])
        return page([{"id": "o1", "reason": "r1"}, {"id": "o2", "reason": None}, {"id": "o3", "reason": "zz"}])

    rs = kit.stream(
        "reasons", "rejection_reasons", no_map, kit.Listed("/reasons"), publishes=[kit.Publish(reasons, kit.row)]
    )
    opps = kit.stream(
        "opps", "candidates", no_map, kit.Listed("/opps"), steps=[kit.Attach(reasons, lambda r: r["reason"], "_r")]
    )
    rows = read_all(source(handle, (opps, rs)), opps)
    assert [r["_r"] for r in rows] == [{"id": "r1", "type": "hired"}, None, None]


def test_a_sync_token_is_kept_from_the_last_page_and_sent_back_on_a_delta_run_only() -> None:
    sent: list[str | None] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.params.get("syncToken"))
        return httpx.Response(200, json={"data": [{"id": "a"}], "hasNext": False, "syncToken": "new"})

    stream = kit.stream("s", "candidates", no_map, kit.Listed("/s", since=kit.SyncToken("syncToken", "syncToken")))
    assert stream.incremental
    full = source(handle, (stream,), sync_tokens={"s": "old"})
    read_all(full, stream)
    delta = source(handle, (stream,), sync_tokens={"s": "old"})
    read_all(delta, stream, datetime(2024, 1, 1, tzinfo=UTC))
    assert sent == [None, "old"] and full.sync_tokens == {"s": "new"} == delta.sync_tokens


def test_a_declared_listing_quirk_restarts_the_listing_and_other_errors_do_not() -> None:
    tries = {"n": 0}

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("offset") == "bad":
            tries["n"] += 1
            if tries["n"] == 1:
                return httpx.Response(400, json={"message": "Invalid offset token"})
            return page([{"id": "b"}])
        return page([{"id": "a"}], "bad")

    api = kit.VendorApi(
        base_url=API.base_url, auth=API.auth, pager=API.pager, records_path="data",
        restart=kit.Restart(lambda exc: "invalid offset" in exc.message.lower()),
    )  # fmt: skip
    stream = kit.stream("s", "tags", no_map, kit.Listed("/s"))
    assert [r["id"] for r in read_all(source(handle, (stream,), api), stream)] == ["a", "a", "b"]
    tries["n"] = 0
    with pytest.raises(RemoteError):
        read_all(source(handle, (stream,)), stream)  # no restart declared: the 400 fails the read


def test_deletion_feeds_send_since_and_skip_a_feed_the_account_lacks() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/jobs/deleted":
            return httpx.Response(404, json={})
        assert request.url.params["deleted_at_start"] == "1704067200000"
        return page([{"id": "c1"}, "c2", {"id": None}])

    feeds = (
        kit.DeletionFeed("/candidates/deleted", "candidates", kit.Since("deleted_at_start", kit.epoch_ms)),
        kit.DeletionFeed("/jobs/deleted", "jobs"),
    )
    src = source(handle, deletion_feeds=feeds)
    found = asyncio.run(src.deletions(datetime(2024, 1, 1, tzinfo=UTC)))
    asyncio.run(src.aclose())
    assert found.by_model == {"candidates": ["c1", "c2"]}


# ------------------------------------------------------------------------------------------- auth/errors


def test_auth_schemes_send_their_credentials() -> None:
    seen: list[httpx.Request] = []
    logins: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/login":
            assert json.loads(request.content) == {"user": "u", "pass": "p"}
            logins.append(f"s{len(logins) + 1}")
            return httpx.Response(200, json={"session": {"token": logins[-1]}})
        if request.headers.get("x-session") == "Token s1":
            return httpx.Response(401, json={})  # the first session expired: log in again once
        return httpx.Response(200, json={"data": []})

    info = IntegrationInfo("i", "t", {}, {"user": "u", "pass": "p", "key": "K"})
    schemes: list[kit.auth.Auth] = [
        kit.QueryKey("api_key", kit.Secret("key", "Key")),
        kit.Bearer(kit.Secret("key", "Key")),
        kit.SessionLogin("/login", {"user": kit.Text("user", "User"), "pass": kit.Secret("pass", "Password")},
                         token_path="session.token", header="X-Session", template="Token {}"),
    ]  # fmt: skip
    for scheme in schemes:
        api = kit.VendorApi(base_url="https://ats.test/v1", auth=scheme)
        client = api.client(info, httpx.MockTransport(handle))
        asyncio.run(client.request("GET", "/x"))
        asyncio.run(client.aclose())
    assert seen[0].url.params["api_key"] == "K"
    assert seen[1].headers["authorization"] == "Bearer K"
    assert [r.url.path for r in seen[2:]] == ["/v1/login", "/v1/x", "/v1/login", "/v1/x"]
    assert seen[-1].headers["x-session"] == "Token s2"


def test_an_error_shape_reads_invalid_tokens_and_errors_in_200_bodies() -> None:
    shape = kit.ErrorShape(invalid_token=("invalid_api_key",), body_error_path="success", body_ok_value=True)

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/denied":
            return httpx.Response(403, json={"errors": ["invalid_api_key"]})
        return httpx.Response(200, json={"success": False, "errors": ["boom"]})

    api = kit.VendorApi(base_url="https://ats.test/v1", auth=API.auth, errors=shape)
    with pytest.raises(RemoteError) as caught:
        asyncio.run(api.client(INFO, httpx.MockTransport(handle)).request("GET", "/denied"))
    assert caught.value.code == "INTEGRATION.AUTHENTICATION_INVALID"
    stream = kit.stream("s", "tags", no_map, kit.Listed("/s"))
    with pytest.raises(RemoteError, match="boom"):
        read_all(source(handle, (stream,), api), stream)


# ------------------------------------------------------------------------------------------- declaration


def test_declare_derives_capabilities_the_connect_form_and_its_probe() -> None:
    async def act(src: Any, call: WriteCall[bodies.Note]) -> WriteResult:
        return WriteResult()

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={})

    connector = kit.declare(
        tool="t", label="Tee", api=API,
        streams=(kit.stream("users", "users", no_map, kit.Listed("/users")),),
        writes=kit.writes(kit.Write("add_application_note", bodies.Note, act)),
        probe=kit.Probe("/users", refused="this API key"),
        connect=kit.ConnectForm(extra=(kit.Text("subdomain", "Subdomain"),)),
    )  # fmt: skip
    assert connector.capabilities.models == frozenset({"users"})
    assert connector.capabilities.actions == frozenset({"add_application_note"})
    assert connector.connect is not None
    assert [f.key for f in connector.connect.fields] == ["api_key", "subdomain", "base_url"]
    assert not connector.deletion_feed
    with pytest.raises(ValueError, match="filters name models"):
        kit.declare(tool="t", label="T", api=API, streams=(), probe=kit.Probe("/"), filters={"jobs": frozenset()})


def test_the_write_table_checks_the_body_type_once() -> None:
    async def act(src: Any, call: WriteCall[bodies.Note]) -> WriteResult:
        return WriteResult(created={"content": call.body.content})

    table = kit.writes(kit.Write("add_application_note", bodies.Note, act))
    note = WriteCall("add_application_note", "i", bodies.Note(content="hi", content_type="PLAIN_TEXT"))
    assert asyncio.run(table["add_application_note"](None, note)).created == {"content": "hi"}
    wrong = WriteCall("add_application_note", "i", bodies.MoveStage(stage_id="s"))
    with pytest.raises(TypeError, match="add_application_note takes"):
        asyncio.run(table["add_application_note"](None, wrong))
    with pytest.raises(ValueError, match="twice"):
        kit.writes(kit.Write("a", bodies.Note, act), kit.Write("a", bodies.Note, act))


def test_the_write_table_by_role_names_the_contract_actions() -> None:
    table = kit.WriteTable()

    @table.attachment
    async def attach(src: Any, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
        return WriteResult()

    async def attach_link(src: Any, call: WriteCall[bodies.ResultLink]) -> WriteResult:
        return WriteResult()

    @table.note
    async def note(src: Any, call: WriteCall[bodies.Note]) -> WriteResult:
        return WriteResult(created={"content": call.body.content})

    table.result_link(lambda src, call: attach_link(src, call))  # a lambda registers by a call

    actions = table.actions()
    assert list(actions) == [
        "add_application_note", "add_application_attachment", "add_candidate_attachment",
        "add_application_result_link", "add_candidate_result_link",
    ]  # fmt: skip
    call = WriteCall("add_application_note", "i", bodies.Note(content="hi", content_type="PLAIN_TEXT"))
    assert asyncio.run(actions["add_application_note"](None, call)).created == {"content": "hi"}
    with pytest.raises(TypeError, match="add_candidate_attachment takes"):
        asyncio.run(actions["add_candidate_attachment"](None, call))
    table.note(note)
    with pytest.raises(ValueError, match="twice"):
        table.actions()


def test_webhook_registration_undoes_what_it_made_and_deletes_each_id_once() -> None:
    deleted: list[str] = []

    async def delete(rid: str) -> None:
        deleted.append(rid)
        if rid == "gone":
            raise RemoteError("REMOTE.NOT_FOUND", "no such webhook", status=404)
        if rid == "locked":
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "refused", status=409)

    async def register() -> list[str]:
        async with kit.undo_on_failure(lambda ids: kit.delete_each(ids, delete)) as ids:
            ids.append(kit.made_id({"id": 7}, "Acme created a webhook"))
            ids.append(kit.made_id({}, "Acme created a webhook"))
        return ids

    with pytest.raises(RemoteError, match="Acme created a webhook without an id"):
        asyncio.run(register())
    assert deleted == ["7"]
    asyncio.run(kit.delete_each(["gone", "a"], delete))
    assert deleted == ["7", "gone", "a"]
    with pytest.raises(RemoteError, match="refused"):
        asyncio.run(kit.delete_each(["locked", "b"], delete))
    asyncio.run(kit.delete_each(["locked"], delete, gone=lambda exc: exc.status == 409))


# -------------------------------------------------------------------------------------------- create-once


class Vendor:
    """A vendor whose POST commits and then fails (the unknown outcome create-once exists for)."""

    def __init__(self, fail_after_commit: bool):
        self.records: list[Raw] = []
        self.fail_after_commit = fail_after_commit

    async def create(self) -> Raw:
        self.records.append({"id": f"n{len(self.records) + 1}"})
        if self.fail_after_commit:
            self.fail_after_commit = False
            raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", "timed out", retryable=True)
        return self.records[-1]

    async def find(self, marker: Any) -> Raw | None:
        return self.records[-1] if self.records else None


def call_with_progress(progress: Raw, saved: list[Raw]) -> WriteCall[BaseModel]:
    call: WriteCall[BaseModel] = WriteCall("a", "i", bodies.Note(content="x", content_type="PLAIN_TEXT"))
    call.progress = progress
    call.save_progress = lambda: saved.append(dict(progress))
    return call


def test_once_records_the_intent_before_creating_and_a_resumed_call_finds_instead_of_creating_again() -> None:
    vendor, progress, saved = Vendor(fail_after_commit=True), {}, []  # type: ignore[var-annotated]
    call = call_with_progress(progress, saved)
    with pytest.raises(RemoteError):
        asyncio.run(call.once("note", vendor.create, find=vendor.find))
    assert "note_create_started" in saved[0] and "note_remote_id" not in progress
    again = call_with_progress(progress, saved)  # the client retries under the same Idempotency-Key
    assert asyncio.run(again.once("note", vendor.create, find=vendor.find)) == {"id": "n1"}
    assert len(vendor.records) == 1 and progress["note_remote_id"] == "n1"
    done = asyncio.run(again.once("note", vendor.create, find=vendor.find))  # a replay after success
    assert done == {"id": "n1"} and len(vendor.records) == 1


def test_once_creates_again_when_nothing_was_made_and_refuses_when_it_cannot_look() -> None:
    vendor, progress, saved = Vendor(fail_after_commit=False), {"note_create_started": 5}, []  # type: ignore[var-annotated]
    call = call_with_progress(progress, saved)

    async def nothing(marker: Any) -> Raw | None:
        assert marker == 5
        return None

    assert asyncio.run(call.once("note", vendor.create, find=nothing)) == {"id": "n1"}
    blind = call_with_progress({"note_create_started": 5}, [])
    with pytest.raises(kit.UnknownOutcome):
        asyncio.run(blind.once("note", vendor.create, find=None))
    assert len(vendor.records) == 1


# ----------------------------------------------------------------------------------------------- outcomes


def test_outcome_rules_apply_the_integration_override_first() -> None:
    rule = kit.OutcomeRule(statuses={"Hired": "HIRED", "Rejected": "DECLINED"}, stages={"Offer accepted": "HIRED"})
    plain = MapContext("i")
    assert plain.outcome(rule, " hired ") == "HIRED"
    assert plain.outcome(rule, "Interviewing", stage="offer ACCEPTED") == "HIRED"
    assert plain.outcome(rule, "Talent pool") == "PENDING"
    custom = MapContext("i", status_map_of({"status_map": {"Talent pool": "DECLINED", "hired": "PENDING"}}))
    assert custom.outcome(rule, "Talent pool") == "DECLINED"
    assert custom.outcome(rule, "Hired") == "PENDING"
    assert custom.outcome(rule, "x", names=("TALENT POOL",)) == "DECLINED"


@pytest.mark.parametrize(
    "value, message",
    [
        ([], "must be an object"),
        ({"": "HIRED"}, "status names must be"),
        ({"a" * 201: "HIRED"}, "status names must be"),
        ({"Hired": "WON"}, r"status_map\.Hired: must be HIRED, DECLINED or PENDING"),
        ({str(i): "HIRED" for i in range(501)}, "at most 500"),
    ],
)
def test_a_bad_status_map_names_the_offending_field(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_status_map(value)
    assert status_map_of({"status_map": value}) == {}  # a stored bad map never fails a sync


def test_tag_and_result_link_helpers() -> None:
    assert kit.with_tag(["A"], " a ") is None and kit.with_tag(["A"], "b ") == ["A", "b"]
    assert kit.without_tag(["A", "b"], "a") == ["b"] and kit.without_tag(["b"], "a") is None
    link = bodies.ResultLink(
        label="Score", url="https://x.test/r",
        details=bodies.ResultDetails(custom_field_name_prefix="X:", attributes=[bodies.Attribute(key="k", value="v")]),
    )  # fmt: skip
    assert kit.result_link_text(link) == "Score: https://x.test/r\nX: k: v"
    body = bodies.ImportTracked(tracked_at=None, application_remote_id="../etc")
    with pytest.raises(RemoteError, match="application_remote_id"):
        kit.tracked_id(body, None, "Tee")
    assert kit.tracked_id(bodies.ImportTracked(tracked_at=None, application_remote_id="a-1"), None, "Tee") == "a-1"


def test_an_http_client_built_by_the_api_honours_integration_overrides() -> None:
    info = IntegrationInfo(
        "i", "t", {"base_url": "https://eu.ats.test", "timeout_seconds": 2, "requests_per_second": 0.5}, {}
    )
    api = kit.VendorApi(base_url="https://ats.test", auth=kit.Bearer(kit.Secret("k", "K")), rate=kit.RatePolicy(10))
    client: HttpClient = api.client(info)
    assert client.base_url == "https://eu.ats.test" and client.timeout == 2
    assert client.rate_limit is not None and client.rate_limit.per_seconds == 2.0
    asyncio.run(client.aclose())


def test_a_definite_refusal_drops_the_intent_so_a_retry_creates_instead_of_adopting_a_look_alike() -> None:
    progress: Raw = {}
    saved: list[Raw] = []
    refused = {"n": 0}

    async def create() -> object:
        refused["n"] += 1
        if refused["n"] == 1:
            raise RemoteError("REMOTE.INPUT_INVALID", "the ATS rejected the request (422)", status=422)
        return 7

    async def look_alike(marker: Any) -> object | None:
        return 99  # someone else's record that happens to match

    call = call_with_progress(progress, saved)
    with pytest.raises(RemoteError):
        asyncio.run(call.once_id("tag", create, find=look_alike, marker="vip"))
    assert "tag_create_started" not in progress and saved[0]["tag_create_started"] == "vip"
    assert asyncio.run(call.once_id("tag", create, find=look_alike, marker="vip")) == "7"
    assert progress["tag_remote_id"] == 7


def test_folded_and_lookup_only_publishers_and_enrich() -> None:
    posts: kit.Lookup[list[Raw]] = kit.Lookup("posts")
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/v1/posts":
            return page([{"id": 1, "job_id": 10}, {"id": 2, "job_id": 10}, {"id": 3, "job_id": 11}])
        return page([{"id": 10}, {"id": 12}])

    def fold(table: dict[Any, list[Raw]], raw: Raw) -> None:
        table.setdefault(raw["job_id"], []).append(raw)

    only = kit.lookup_only("posts", kit.Listed("/posts"), [kit.Publish(posts, fold=fold)])
    jobs = kit.stream(
        "jobs", "jobs", no_map, kit.Listed("/jobs"),
        steps=[kit.Enrich(posts, lambda raw, table: {**raw, "_posts": [p["id"] for p in table.get(raw["id"], [])]})],
    )  # fmt: skip
    ordered = kit.resolve((jobs, only))
    assert [s.name for s in ordered] == ["posts", "jobs"] and ordered[0].models == ()
    src = source(handle, ordered)
    assert [r["_posts"] for r in read_all(src, jobs)] == [[1, 2], []]
    assert sorted(calls) == ["/v1/jobs", "/v1/posts"]  # the lookup-only listing ran once, on demand
    with pytest.raises(ValueError, match="value or a fold"):
        kit.Publish(posts)


def test_forget_makes_the_next_lookup_list_again_and_siblings_close_with_their_source() -> None:
    calls: list[str] = []
    src, _parent, _child = _parents_and_children(fan_out_handler(calls))
    closed: list[str] = []

    async def go() -> None:
        await src.lookup(PARENTS)
        await src.lookup(PARENTS)
        src.forget(PARENTS)
        await src.lookup(PARENTS)
        other = src.sibling("sub:7", lambda: API.client(INFO, httpx.MockTransport(fan_out_handler(calls))))
        assert src.sibling("sub:7", lambda: pytest.fail("built once")) is other
        other.client.aclose = lambda: closed.append("sibling") or asyncio.sleep(0)  # type: ignore[method-assign]
        await src.aclose()

    asyncio.run(go())
    assert calls == ["/v1/parents", "/v1/parents"] and closed == ["sibling"]


def test_the_scaffold_package_does_not_shadow_kit_template() -> None:
    """``kit.template`` (a time format) once lost to a ``kit/template`` folder imported by ``new-connector``."""
    import importlib
    from datetime import UTC, datetime

    importlib.import_module("atsbridge.connectors.kit.scaffold")
    from atsbridge.connectors import kit as reloaded

    assert reloaded.template("%Y-%m-%d")(datetime(2026, 12, 7, tzinfo=UTC)) == "2026-12-07"


def test_a_base_url_template_is_filled_from_config_and_refuses_anything_but_a_slug() -> None:
    from atsbridge.connectors.kit.api import fill_base_url, placeholders

    template = "https://{subdomain}.pinpointhq.com/api/{version}"
    assert placeholders(template) == ("subdomain", "version")
    assert fill_base_url(template, {"subdomain": " acme ", "version": "v1"}) == "https://acme.pinpointhq.com/api/v1"
    for bad in ("evil.com/x", "a@b", "..", "x..y", "", None, "-lead", "a b", "%2e", "a" * 101):
        assert fill_base_url(template, {"subdomain": bad, "version": "v1"}) == "https://invalid.pinpointhq.com/api/v1"


def test_declare_refuses_a_base_url_naming_a_key_the_form_does_not_ask_for() -> None:
    api = kit.VendorApi(base_url="https://{subdomain}.example.com", auth=kit.Bearer(kit.Secret("token", "Token")))
    users = kit.stream("users", "users", lambda raw, ctx: iter(()), kit.Listed("/users"))
    with pytest.raises(ValueError, match="subdomain"):
        kit.declare(tool="t", label="T", api=api, streams=[users], probe=kit.Probe("/users"))
    field = FormField("subdomain", "Subdomain", target="config")
    connector = kit.declare(tool="t", label="T", api=api, streams=[users], probe=kit.Probe("/users"),
                            connect=kit.ConnectForm(extra=(field,)))  # fmt: skip
    assert any(f.key == "subdomain" for f in connector.connect.fields)  # type: ignore[union-attr]


def test_declare_checks_what_it_calls_unavailable() -> None:
    api = kit.VendorApi(base_url="https://api.example.com", auth=kit.Bearer(kit.Secret("token", "Token")))
    users = kit.stream("users", "users", lambda raw, ctx: iter(()), kit.Listed("/users"))
    declare = lambda why: kit.declare(tool="t", label="T", api=api, streams=[users], probe=kit.Probe("/users"),  # noqa: E731
                                      unavailable=why)  # fmt: skip
    with pytest.raises(ValueError, match="served: users"):
        declare({"users": "no users endpoint"})
    with pytest.raises(ValueError, match="no model or write action: frobnicate"):
        declare({"frobnicate": "?"})
    caps = declare({"jobs": "jobs are not in the API", "add_candidate_tag": "no tags"}).capabilities
    assert caps.unavailable == {"jobs": "jobs are not in the API", "add_candidate_tag": "no tags"}


def test_a_path_templates_own_query_survives_paging() -> None:
    """``/positions?state={key}``: the client replaces a URL's query by the pager's params, so the kit moves it."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v1/p":
            return page([{"id": "open"}, {"id": "closed"}])
        return page([{"id": f"{request.url.params.get('state')}-1"}])

    parent = kit.stream("parent", "jobs", no_map, kit.Listed("/p"), publishes=[kit.Publish(PARENTS, kit.row)])
    child = kit.stream("child", "candidates", no_map, kit.FanOut(PARENTS, {"c": "/c?state={key}"}))
    src = source(handle, (parent, child))
    assert sorted(r["id"] for r in read_all(src, child)) == ["closed-1", "open-1"]
    listed = [r for r in seen if r.url.path == "/v1/c"]
    assert {r.url.params["state"] for r in listed} == {"open", "closed"}
    assert all("limit" in r.url.params for r in listed)

"""The official ``kombo==1.4.0`` SDK drives the real server over HTTP: every read, every filter, errors.

A response the SDK cannot parse raises ``ResponseValidationError``, which fails these tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError, KomboGeneralError
from sqlalchemy import Engine, select

from atsbridge.core.config import Settings
from atsbridge.store.tables import MODEL_TABLES
from tests.conftest import Sandbox, Server

LISTS: dict[str, str] = {
    "applications": "get_applications",
    "candidates": "get_candidates",
    "tags": "get_tags",
    "application_stages": "get_application_stages",
    "jobs": "get_jobs",
    "users": "get_users",
    "roles": "get_roles",
    "offers": "get_offers",
    "rejection_reasons": "get_rejection_reasons",
    "interviews": "get_interviews",
    "notes": "get_notes",
    "scorecards": "get_ats_scorecards",
    "attachments": "get_ats_attachments",
}


def client(server: Server, sbx: Sandbox) -> Kombo:
    return Kombo(api_key=sbx.key, integration_id=sbx.integration_id, server_url=server.v1)


def drain(method: Callable[..., Any], **kwargs: Any) -> list[Any]:
    """Follow ``res.next()`` to the end, exactly as SDK users do."""
    out: list[Any] = []
    res = method(**kwargs)
    pages = 0
    while res is not None:
        out.extend(res.result.data.results)
        pages += 1
        assert pages < 10_000
        res = res.next()
    return out


def store_ids(engine: Engine, model: str, integration_id: str, *, deleted: bool = False) -> set[str]:
    t = MODEL_TABLES[model]
    stmt = select(t.c.id).where(t.c.integration_id == integration_id)
    if not deleted:
        stmt = stmt.where(t.c.remote_deleted_at.is_(None))
    with engine.connect() as conn:
        return set(conn.execute(stmt).scalars())


def test_check_api_key(server: Server, tiny_sandbox: Sandbox) -> None:
    res = client(server, tiny_sandbox).general.check_api_key()
    assert res.data.environment_id == tiny_sandbox.environment_id


@pytest.mark.parametrize("page_size", [1, 7, 250])
@pytest.mark.parametrize("model", sorted(LISTS))
def test_every_list_paginates_to_exhaustion(
    server: Server, engine: Engine, tiny_sandbox: Sandbox, model: str, page_size: int
) -> None:
    k = client(server, tiny_sandbox)
    items = drain(getattr(k.ats, LISTS[model]), page_size=page_size)
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids)), "a record was served twice"
    expected = store_ids(engine, model, tiny_sandbox.integration_id)
    assert expected, f"the sandbox has no {model}"
    assert set(ids) == expected


def test_include_deleted_lists_serve_every_stored_record(server: Server, engine: Engine, tiny_sandbox: Sandbox) -> None:
    k = client(server, tiny_sandbox)
    for model, method in LISTS.items():
        items = drain(getattr(k.ats, method), page_size=250, include_deleted=True)
        assert {i.id for i in items} == store_ids(engine, model, tiny_sandbox.integration_id, deleted=True)


def test_live_attachment_lists_and_downloads(server: Server, engine: Engine, tiny_sandbox: Sandbox) -> None:
    k = client(server, tiny_sandbox)
    apps = drain(k.ats.get_applications, page_size=250)
    cands = drain(k.ats.get_candidates, page_size=250)
    all_files = {a.id: a for a in drain(k.ats.get_ats_attachments, page_size=250)}
    served: set[str] = set()
    for cand in cands:
        res = k.ats.get_candidate_attachments(candidate_id=cand.id)
        assert res.warnings == []
        for f in res.data.results:
            assert f.candidate_id == cand.id
            served.add(f.id)
    assert served == set(all_files)
    some = None
    for app in apps:
        res = k.ats.get_application_attachments(application_id=app.id)
        for f in res.data.results:
            assert all_files[f.id].candidate_id == app.candidate_id
            assert all_files[f.id].application_id in (None, app.id)
            some = f
    assert some is not None
    download = httpx.get(some.data_url)
    assert download.status_code == 200
    assert download.content
    assert download.headers["content-type"].startswith(some.content_type.split(";")[0])
    # a signature one character off (always different: "AAA" in place of the last three once matched by chance)
    last = some.data_url[-1]
    forged = httpx.get(some.data_url[:-1] + ("Q" if last != "Q" else "A"))
    assert forged.status_code == 404


# ------------------------------------------------------------------------------------------- filters
@pytest.fixture(scope="module")
def everything(server: Server, small_sandbox: Sandbox) -> dict[str, list[Any]]:
    k = client(server, small_sandbox)
    return {m: drain(getattr(k.ats, meth), page_size=250) for m, meth in LISTS.items()}


def _ids(items: list[Any]) -> set[str]:
    return {i.id for i in items}


def test_application_filters(server: Server, small_sandbox: Sandbox, everything: dict[str, list[Any]]) -> None:
    k = client(server, small_sandbox)
    apps = everything["applications"]
    jobs = {j.id: j for j in everything["jobs"]}
    for outcomes in (["HIRED"], ["DECLINED", "PENDING"]):
        got = drain(k.ats.get_applications, page_size=50, outcomes=outcomes)
        assert _ids(got) == {a.id for a in apps if a.outcome in outcomes}
        assert got
    some_jobs = sorted(jobs)[:3]
    got = drain(k.ats.get_applications, page_size=50, job_ids=some_jobs, outcomes=["PENDING"])
    assert _ids(got) == {a.id for a in apps if a.job_id in some_jobs and a.outcome == "PENDING"}
    remote = [jobs[j].remote_id for j in some_jobs]
    assert _ids(drain(k.ats.get_applications, job_remote_ids=remote)) == {a.id for a in apps if a.job_id in some_jobs}
    stage = apps[0].current_stage_id
    assert _ids(drain(k.ats.get_applications, current_stage_ids=[stage])) == {
        a.id for a in apps if a.current_stage_id == stage
    }
    created = sorted(a.remote_created_at for a in apps if a.remote_created_at)
    pivot = created[len(created) // 2]
    day = datetime(pivot.year, pivot.month, pivot.day, tzinfo=UTC)
    got = drain(k.ats.get_applications, remote_created_after=pivot)
    assert _ids(got) == {a.id for a in apps if a.remote_created_at and a.remote_created_at >= day}
    picked = apps[:5]
    assert _ids(drain(k.ats.get_applications, ids=[a.id for a in picked])) == _ids(picked)
    assert _ids(drain(k.ats.get_applications, remote_ids=[a.remote_id for a in picked])) == _ids(picked)
    both = drain(k.ats.get_applications, ids=[picked[0].id], remote_ids=[picked[1].remote_id])
    assert both == []  # different filters are ANDed


def test_candidate_filters(server: Server, small_sandbox: Sandbox, everything: dict[str, list[Any]]) -> None:
    k = client(server, small_sandbox)
    cands = everything["candidates"]
    c = next(c for c in cands if c.email_addresses)
    email = c.email_addresses[0].email_address
    assert c.id in _ids(drain(k.ats.get_candidates, email=email.upper()))
    assert all(
        any((e.email_address or "").lower() == email.lower() for e in (x.email_addresses or []))
        for x in drain(k.ats.get_candidates, email=email)
    )
    got = drain(k.ats.get_candidates, first_name=c.first_name.lower(), last_name=c.last_name.upper())
    assert _ids(got) == {
        x.id
        for x in cands
        if (x.first_name or "").lower() == c.first_name.lower() and (x.last_name or "").lower() == c.last_name.lower()
    }
    job = everything["jobs"][0].id
    expected = {a.candidate_id for a in everything["applications"] if a.job_id == job}
    assert _ids(drain(k.ats.get_candidates, job_ids=[job])) == expected


def test_job_filters(server: Server, small_sandbox: Sandbox, everything: dict[str, list[Any]]) -> None:
    k = client(server, small_sandbox)
    jobs = everything["jobs"]
    for kwarg, attr in (
        ("statuses", "status"),
        ("employment_types", "employment_type"),
        ("visibilities", "visibility"),
    ):
        values = sorted({getattr(j, attr) for j in jobs if getattr(j, attr)})
        assert values
        got = drain(k.ats.get_jobs, **{kwarg: values[:1]})
        assert _ids(got) == {j.id for j in jobs if getattr(j, attr) == values[0]}
    coded = next(j for j in jobs if j.job_code)
    assert _ids(drain(k.ats.get_jobs, job_codes=[coded.job_code])) == {
        j.id for j in jobs if j.job_code == coded.job_code
    }
    posted = next(j for j in jobs if j.post_url)
    assert posted.id in _ids(drain(k.ats.get_jobs, post_url=posted.post_url))
    word = jobs[0].name.split()[0]
    assert _ids(drain(k.ats.get_jobs, name_contains=word.lower())) == {
        j.id for j in jobs if word.lower() in j.name.lower()
    }


def test_other_filters(server: Server, small_sandbox: Sandbox, everything: dict[str, list[Any]]) -> None:
    k = client(server, small_sandbox)
    users = everything["users"]
    u = next(u for u in users if u.email)
    assert _ids(drain(k.ats.get_users, emails=[u.email.upper()])) == {
        x.id for x in users if (x.email or "").lower() == u.email.lower()
    }
    roles = everything["roles"]
    assert _ids(drain(k.ats.get_roles, scopes=["JOB"])) == {r.id for r in roles if r.scope == "JOB"}
    apps = {a.id: a for a in everything["applications"]}
    job = everything["jobs"][1].id
    assert _ids(drain(k.ats.get_interviews, job_ids=[job])) == {
        i.id for i in everything["interviews"] if i.application_id in apps and apps[i.application_id].job_id == job
    }
    for model, method in (
        ("notes", "get_notes"),
        ("scorecards", "get_ats_scorecards"),
        ("attachments", "get_ats_attachments"),
    ):
        items = everything[model]
        cand = next(i.candidate_id for i in items if i.candidate_id)
        assert _ids(drain(getattr(k.ats, method), candidate_ids=[cand])) == {
            i.id for i in items if i.candidate_id == cand
        }
        app = next(i.application_id for i in items if i.application_id)
        assert _ids(drain(getattr(k.ats, method), application_ids=[app])) == {
            i.id for i in items if i.application_id == app
        }


def test_expanded_records_match_their_sources(everything: dict[str, list[Any]]) -> None:
    cands = {c.id: c for c in everything["candidates"]}
    jobs = {j.id: j for j in everything["jobs"]}
    for app in everything["applications"]:
        assert app.candidate is not None and app.candidate.id == app.candidate_id
        assert app.candidate.first_name == cands[app.candidate_id].first_name
        assert app.job is not None and app.job.name == jobs[app.job_id].name
        stage_ids = {s.id for s in jobs[app.job_id].stages}
        assert app.current_stage_id in stage_ids
        assert app.current_stage is not None and app.current_stage.id == app.current_stage_id


# -------------------------------------------------------------------------------------------- errors
def _code(call: Callable[[], Any]) -> str:
    with pytest.raises(KomboAtsError) as info:
        call()
    assert info.value.data.error.message
    return str(info.value.data.error.code)


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 251}, "page_size"),
        ({"outcomes": ["WITHDRAWN"]}, "outcomes"),
        ({"cursor": "bm9wZQ.abc"}, "cursor"),
        ({"cursor": "garbage"}, "cursor"),
        ({"http_headers": {}, "cursor": "%%%"}, "cursor"),
    ],
)
def test_bad_parameters(server: Server, tiny_sandbox: Sandbox, kwargs: dict[str, Any], needle: str) -> None:
    k = client(server, tiny_sandbox)
    with pytest.raises(KomboAtsError) as info:
        k.ats.get_applications(**kwargs)
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert needle in info.value.data.error.message
    assert info.value.status_code == 400


def test_raw_bad_parameters(server: Server, tiny_sandbox: Sandbox) -> None:
    headers = {"Authorization": f"Bearer {tiny_sandbox.key}", "X-Integration-Id": tiny_sandbox.integration_id}
    for query, needle in (
        ("updated_after=yesterday", "updated_after"),
        ("remote_created_after=2024-13-45", "remote_created_after"),
        ("include_deleted=maybe", "include_deleted"),
        ("page_size=ten", "page_size"),
        ("colour=blue", "colour"),
    ):
        r = httpx.get(f"{server.v1}/ats/applications?{query}", headers=headers)
        assert r.status_code == 400, query
        body = r.json()
        assert body["status"] == "error" and body["error"]["code"] == "PLATFORM.INPUT_INVALID"
        assert needle in body["error"]["message"]
    r = httpx.get(f"{server.v1}/ats/nothing-here", headers=headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"


def test_truncated_or_replayed_cursor_is_refused(server: Server, tiny_sandbox: Sandbox) -> None:
    k = client(server, tiny_sandbox)
    first = k.ats.get_applications(page_size=2)
    cursor = first.result.data.next
    assert cursor
    assert _code(lambda: k.ats.get_applications(page_size=2, cursor=cursor[:-2])) == "PLATFORM.INPUT_INVALID"
    # The same cursor with other filters than the ones it was issued for.
    assert (
        _code(lambda: k.ats.get_applications(page_size=2, cursor=cursor, outcomes=["HIRED"]))
        == "PLATFORM.INPUT_INVALID"
    )
    # A cursor of another integration's query is refused too.
    assert _code(lambda: k.ats.get_candidates(page_size=2, cursor=cursor)) == "PLATFORM.INPUT_INVALID"


def test_auth_and_tenancy_errors(server: Server, engine: Engine, settings: Settings, tiny_sandbox: Sandbox) -> None:
    from tests.conftest import make_sandbox

    other = make_sandbox(engine, settings, "tiny", seed=99)
    bad_key = Kombo(api_key="atsb_wrong", integration_id=tiny_sandbox.integration_id, server_url=server.v1)
    assert _code(lambda: bad_key.ats.get_jobs()) == "PLATFORM.AUTHENTICATION_INVALID"
    with pytest.raises(KomboGeneralError) as info:
        bad_key.general.check_api_key()
    assert info.value.data.error.code == "PLATFORM.AUTHENTICATION_INVALID"
    # A valid key naming another environment's integration learns nothing about it.
    foreign = Kombo(api_key=tiny_sandbox.key, integration_id=other.integration_id, server_url=server.v1)
    missing = Kombo(api_key=tiny_sandbox.key, integration_id="sandbox:doesnotexist", server_url=server.v1)
    for k in (foreign, missing):
        with pytest.raises(KomboAtsError) as info:
            k.ats.get_jobs()
        assert info.value.data.error.code == "PLATFORM.INTEGRATION_NOT_FOUND"
        assert info.value.status_code == 404
    no_header = Kombo(api_key=tiny_sandbox.key, server_url=server.v1)
    assert _code(lambda: no_header.ats.get_jobs()) == "PLATFORM.INPUT_INVALID"
    r = httpx.get(f"{server.v1}/ats/jobs", headers={"X-Integration-Id": tiny_sandbox.integration_id})
    assert r.status_code == 401 and r.json()["error"]["code"] == "PLATFORM.AUTHENTICATION_INVALID"


def test_reads_before_first_sync_are_pending(server: Server, engine: Engine) -> None:
    from atsbridge.store import platform

    with engine.begin() as conn:
        env = platform.create_environment(conn, "pending")
        key = platform.create_api_key(conn, env, "t")
        iid = platform.create_integration(conn, env, "sandbox", "Pending Inc.", {"seed": 1, "size": "tiny"})
    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    with pytest.raises(KomboAtsError) as info:
        k.ats.get_jobs()
    assert info.value.data.error.code == "INTEGRATION.SETUP_SYNC_PENDING"
    assert info.value.status_code == 409


@pytest.fixture
def limited_tool() -> Iterator[str]:
    """A tool whose capability declaration lacks some filters (a real connector's data, restricted)."""
    import dataclasses

    from atsbridge.connectors import registry
    from atsbridge.connectors.base import Capabilities

    sandbox = registry.get_connector("sandbox")
    limited = dataclasses.replace(
        sandbox,
        tool="limited",
        capabilities=Capabilities(
            models=sandbox.capabilities.models - {"scorecards"},
            filters={"applications": frozenset({"job_ids"}), "candidates": frozenset()},
        ),
    )
    registry.BUILTIN["limited"] = "atsbridge.connectors.sandbox"
    registry._loaded["limited"] = limited
    yield "limited"
    registry.BUILTIN.pop("limited", None)
    registry._loaded.pop("limited", None)


def test_unsupported_filters_and_models(server: Server, engine: Engine, settings: Settings, limited_tool: str) -> None:
    from atsbridge.store import platform
    from tests.conftest import sync_now

    with engine.begin() as conn:
        env = platform.create_environment(conn, "limited")
        key = platform.create_api_key(conn, env, "t")
        iid = platform.create_integration(
            conn, env, limited_tool, "Limited Inc.", {"seed": 3, "size": "tiny", "sync_all_applications": True}
        )
    sync_now(engine, settings, iid, full=True)
    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    all_apps = drain(k.ats.get_applications)
    assert all_apps
    # Unsupported filter: empty result, unless asked to ignore it.
    assert drain(k.ats.get_applications, outcomes=["PENDING"]) == []
    assert len(drain(k.ats.get_applications, outcomes=["PENDING"], ignore_unsupported_filters=True)) == len(all_apps)
    # A supported filter still applies next to an ignored one.
    job = all_apps[0].job_id
    got = drain(k.ats.get_applications, job_ids=[job], outcomes=["HIRED"], ignore_unsupported_filters=True)
    assert _ids(got) == {a.id for a in all_apps if a.job_id == job}
    assert _code(lambda: k.ats.get_ats_scorecards()) == "INTEGRATION.MODEL_NOT_AVAILABLE"

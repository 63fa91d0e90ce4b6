"""The built-in sandbox ATS: deterministic generator, mappers, overlay state, simulate and the source.

Generator and mapper tests need no database. Source and simulate tests use the shared ``engine`` fixture,
so they run on SQLite and PostgreSQL like every storage test.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.registry import get_connector
from atsbridge.connectors.sandbox import CONNECTOR, SandboxSource, attachment_content, open_source
from atsbridge.connectors.sandbox.generator import EPOCH_MS, KINDS, PRESETS, SandboxATS
from atsbridge.connectors.sandbox.mappers import MAPPERS
from atsbridge.connectors.sandbox.simulate import SimulationReport, simulate
from atsbridge.model.record import UnifiedRecord
from atsbridge.model.registry import MODELS, SYNC_ORDER
from atsbridge.store import platform

Mapped = dict[str, dict[str, UnifiedRecord]]
EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$")


def map_all(records: dict[str, list[dict[str, Any]]], integration_id: str = "sandbox:test") -> Mapped:
    """Every vendor record through its stream's mapper (which validates), by model and remote id."""
    ctx = MapContext(integration_id)
    out: Mapped = {kind: {} for kind in KINDS}
    for kind, recs in records.items():
        for rec in recs:
            for unified in MAPPERS[kind](rec, ctx):
                out[unified.model][unified.remote_id] = unified
    return out


@pytest.fixture(scope="module")
def small() -> SandboxATS:
    return SandboxATS(11, "small")


@pytest.fixture(scope="module")
def small_mapped(small: SandboxATS) -> Mapped:
    return map_all({kind: list(small.records(kind)) for kind in KINDS})


# ------------------------------------------------------------------------------------------- generator
def test_same_seed_same_records_different_seed_different() -> None:
    a, b, c = SandboxATS(5, "tiny"), SandboxATS(5, "tiny"), SandboxATS(6, "tiny")
    for kind in KINDS:
        assert list(a.records(kind)) == list(b.records(kind)), kind
    for kind in ("candidates", "applications", "jobs"):
        assert list(a.records(kind)) != list(c.records(kind)), kind


def test_random_access_does_not_depend_on_generation_order() -> None:
    forward = SandboxATS(9, 500)
    backward = SandboxATS(9, 500)
    for kind in KINDS:
        n = forward.count(kind)
        expected = list(forward.records(kind))
        got = [backward.record(kind, i) for i in reversed(range(n))][::-1]
        assert got == expected, kind
        assert all(backward.index_of(kind, backward.remote_id(kind, i)) == i for i in range(n))


def test_base_timestamps_are_fixed_in_the_past() -> None:
    gen = SandboxATS(2, "tiny")
    for kind in KINDS:
        for rec in gen.records(kind):
            assert rec["created_at"] <= rec["updated_at"] < EPOCH_MS, (kind, rec["id"])


@pytest.mark.parametrize("size", list(PRESETS))
def test_counts_per_size(size: str) -> None:
    gen = SandboxATS(1, size)
    apps = PRESETS[size]
    expected_jobs = {"tiny": 3, "small": 10, "medium": 60, "large": 500}[size]
    assert gen.count("applications") == apps
    assert gen.count("jobs") == expected_jobs
    assert 5 <= gen.count("users") <= 300
    assert 6 <= gen.count("rejection_reasons") <= 12 and 10 <= gen.count("tags") <= 60
    assert gen.count("roles") == 10
    assert gen.count("application_stages") in range(4 * expected_jobs, 8 * expected_jobs + 1)
    ratios = {"candidates": 0.8, "interviews": 0.3, "offers": 0.05, "notes": 0.2, "scorecards": 0.15}
    for kind, ratio in ratios.items():
        assert abs(gen.count(kind) - ratio * apps) <= max(2, 0.15 * ratio * apps), kind
    assert gen.count("attachments") >= gen.count("candidates")


@pytest.mark.parametrize("apps", [0, 1, 7, 1000, 50_000, 400_000])
def test_integer_sizes_scale(apps: int) -> None:
    gen = SandboxATS(3, apps)
    assert gen.count("applications") == apps
    assert gen.count("jobs") >= 1 and 5 <= gen.count("users") <= 300
    for kind in KINDS:  # the first and last record of every kind can be generated
        if gen.count(kind):
            gen.record(kind, 0)
            gen.record(kind, gen.count(kind) - 1)


def test_unknown_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown sandbox size"):
        SandboxATS(1, "huge")


def test_some_candidates_have_two_applications(small: SandboxATS) -> None:
    per_candidate = Counter(rec["candidateId"] for rec in small.records("applications"))
    assert max(per_candidate.values()) == 2
    assert 40 <= sum(1 for n in per_candidate.values() if n == 2) <= 80
    for cand, n in per_candidate.items():
        index = small.index_of("candidates", cand)
        assert index is not None and len(small.candidate_apps(index)) == n


def test_large_records_are_generated_quickly() -> None:
    """Random access into the largest preset: a sample of every kind, well within budget."""
    gen = SandboxATS(1, "large")
    started = time.perf_counter()
    for kind in KINDS:
        n = gen.count(kind)
        for i in range(0, n, max(1, n // 500)):
            gen.record(kind, i)
    assert time.perf_counter() - started < 5


# --------------------------------------------------------------------------------------------- mappers
def test_every_small_record_maps_and_validates(small: SandboxATS, small_mapped: Mapped) -> None:
    for kind in KINDS:
        assert len(small_mapped[kind]) == small.count(kind), kind
        ids = [r.id for r in small_mapped[kind].values()]
        assert len(set(ids)) == len(ids)


def test_all_question_formats_and_categories(small_mapped: Mapped) -> None:
    questions = [q for job in small_mapped["jobs"].values() for q in job.nested["screening_questions"]]  # type: ignore[index]
    formats = {q["format"]["type"] for q in questions}
    assert formats == {"TEXT", "NUMBER", "FILE", "SINGLE_SELECT", "MULTI_SELECT", "BOOLEAN", "DATE", "INFORMATION",
                       "UNKNOWN"}  # fmt: skip
    assert {q["format"]["display_type"] for q in questions if q["format"]["type"] == "TEXT"} == {
        "SINGLE_LINE", "MULTI_LINE", "EMAIL", "URL"}  # fmt: skip
    numbers = [q["format"] for q in questions if q["format"]["type"] == "NUMBER"]
    assert all(f["min"] is not None and f["max"] is not None for f in numbers)
    assert all(q["format"]["options"] for q in questions if q["format"]["type"] in ("SINGLE_SELECT", "MULTI_SELECT"))
    assert {q["category"] for q in questions} >= {"EEO", "DEMOGRAPHIC", None}
    conditional = [q for q in questions if q["precondition_question_id"]]
    assert {type(q["precondition_options"][0]) for q in conditional} == {bool, str}
    for job in small_mapped["jobs"].values():
        by_id = {q["id"]: q for q in job.nested["screening_questions"]}  # type: ignore[index]
        for q in by_id.values():
            if q["precondition_question_id"]:
                parent = by_id[q["precondition_question_id"]]
                option_ids = {o["id"] for o in parent["format"].get("options", [])}
                assert all(isinstance(v, bool) or v in option_ids for v in q["precondition_options"])


def test_all_answer_shapes_outcomes_and_statuses(small_mapped: Mapped) -> None:
    apps = [r.fields for r in small_mapped["applications"].values()]
    shapes = {a["question"]["type"] for app in apps for a in app["screening_question_answers"]}
    assert shapes == {"TEXT", "SINGLE_SELECT", "MULTI_SELECT", "BOOLEAN", "NUMBER", "DATE", "UNKNOWN"}
    assert {a["outcome"] for a in apps} == {"PENDING", "HIRED", "DECLINED"}
    for app in apps:
        declined = app["outcome"] == "DECLINED"
        assert (app["rejection_reason_name"] is not None) == declined
        assert (app["rejected_at"] is not None) == declined
    offers = {r.fields["status"] for r in small_mapped["offers"].values()}
    assert offers == {"ACCEPTED", "DECLINED", "SENT", "APPROVED", "DRAFT", "ABANDONED"}
    responses = {x["type"] for r in small_mapped["scorecards"].values() for x in r.fields["responses"]}
    assert responses == {"TEXT", "SINGLE_SELECT", "MULTI_SELECT", "BOOLEAN", "NUMBER", "DATE"}
    attachments = [r.fields for r in small_mapped["attachments"].values()]
    assert {a["type"] for a in attachments} == {"CV", "COVER_LETTER", "OTHER"}
    assert {a["application_id"] is None for a in attachments} == {True, False}
    notes = [r.fields for r in small_mapped["notes"].values()]
    assert {n["is_private"] for n in notes} == {True, False}
    assert {n["application_id"] is None for n in notes} == {True, False}
    interviews = [r for r in small_mapped["interviews"].values()]
    assert {i.fields["canceled"] for i in interviews} == {True, False}
    assert any(i.fields["video_conferencing_url"] for i in interviews) and any(i.fields["location"] for i in interviews)
    assert all(i.nested["user_ids"] == sorted(i.nested["user_ids"]) for i in interviews)  # type: ignore[index]
    assert {s.fields["status"] for s in small_mapped["application_stages"].values()} == {"ACTIVE", "INACTIVE"}
    roles = {(r.fields["scope"], r.fields["unified_type"]) for r in small_mapped["roles"].values()}
    assert ("SYSTEM", "ADMIN") in roles and ("JOB", "HIRING_MANAGER") in roles


def test_realistic_people(small_mapped: Mapped) -> None:
    emails = [e["email_address"] for c in small_mapped["candidates"].values() for e in c.fields["email_addresses"]]
    emails += [u.fields["email"] for u in small_mapped["users"].values()]
    assert emails and all(EMAIL.match(e) for e in emails)
    assert len(set(emails)) == len(emails)
    phones = [p["phone_number"] for c in small_mapped["candidates"].values() for p in c.fields["phone_numbers"]]
    assert phones and all(re.fullmatch(r"\+\d{1,3}( \d{2,6}){2,3}", p) for p in phones)
    for cand in small_mapped["candidates"].values():
        assert cand.nested["tag_ids"] == sorted(cand.nested["tag_ids"])  # type: ignore[index]
    jobs = [j.fields for j in small_mapped["jobs"].values()]
    assert {j["status"] for j in jobs} == {"OPEN", "CLOSED", "DRAFT", "ARCHIVED"}
    assert all(j["description"].startswith("<h2>") for j in jobs)
    medium_jobs = map_all({"jobs": list(SandboxATS(11, "medium").records("jobs"))})["jobs"].values()
    assert {j.fields["visibility"] for j in medium_jobs} == {"PUBLIC", "INTERNAL", "UNLISTED", "CONFIDENTIAL"}
    assert {j.fields["employment_type"] for j in medium_jobs} >= {"FULL_TIME", "PART_TIME", "CONTRACT", "INTERNSHIP"}


def check_integrity(mapped: Mapped) -> None:
    """Every reference names a mapped record; applications sit on a stage of their own job."""
    ids = {model: {r.id for r in recs.values()} for model, recs in mapped.items()}
    stage_job = {r.id: r.fields["job_id"] for r in mapped["application_stages"].values()}
    refs = {"candidate_id": "candidates", "job_id": "jobs", "current_stage_id": "application_stages",
            "application_id": "applications", "author_id": "users", "interview_id": "interviews",
            "stage_id": "application_stages", "contact_id": "users"}  # fmt: skip
    for model, recs in mapped.items():
        for rec in recs.values():
            for key, target in refs.items():
                value = rec.fields.get(key)
                assert value is None or value in ids[target], (model, rec.remote_id, key)
            nested = rec.nested or {}
            assert set(nested.get("tag_ids", [])) <= ids["tags"]
            assert set(nested.get("user_ids", [])) <= ids["users"]
            assert {m["user_id"] for m in nested.get("hiring_team", [])} <= ids["users"]
    for app in mapped["applications"].values():
        assert stage_job[app.fields["current_stage_id"]] == app.fields["job_id"], app.remote_id
    for interview in mapped["interviews"].values():
        app = next(a for a in mapped["applications"].values() if a.id == interview.fields["application_id"])
        assert stage_job[interview.fields["stage_id"]] == app.fields["job_id"]


def test_referential_integrity(small_mapped: Mapped) -> None:
    check_integrity(small_mapped)


def test_pipelines(small: SandboxATS, small_mapped: Mapped) -> None:
    stages: dict[str, list[dict[str, Any]]] = {}
    for stage in small_mapped["application_stages"].values():
        stages.setdefault(stage.fields["job_id"], []).append(stage.fields)
    assert len(stages) == small.count("jobs")
    for pipeline in stages.values():
        assert 4 <= len(pipeline) <= 8
        assert sorted(s["index"] for s in pipeline) == list(range(len(pipeline)))
    names = {s.id: s.fields["name"] for s in small_mapped["application_stages"].values()}
    for app in small_mapped["applications"].values():
        if app.fields["outcome"] == "HIRED":
            assert names[app.fields["current_stage_id"]] == "Hired"


# ------------------------------------------------------------------------------------ source, simulate
def make_integration(engine: Engine, environment: str, seed: int, size: str | int) -> IntegrationInfo:
    config = {"seed": seed, "size": size}
    with engine.begin() as conn:
        iid = platform.create_integration(conn, environment, "sandbox", "Sandbox Inc.", config)
    return IntegrationInfo(iid, "sandbox", config, {}, engine)


def read_all(source: SandboxSource, since: datetime | None) -> dict[str, list[dict[str, Any]]]:
    async def collect() -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for stream in CONNECTOR.streams:
            out[stream.name] = []
            async for page in source.read(stream, since):
                assert 0 < len(page) <= 1000
                out[stream.name].extend(page)
        await source.aclose()
        return out

    return asyncio.run(collect())


def just_before(report: SimulationReport) -> datetime:
    return report.started_at - timedelta(microseconds=1)


@pytest.fixture
def simulated(engine: Engine, environment: str) -> Iterator[tuple[IntegrationInfo, SimulationReport]]:
    info = make_integration(engine, environment, 4, "small")
    yield info, simulate(engine, info.id, 4, "small", 250, rng_seed=99)


def test_connector_shape() -> None:
    assert get_connector("sandbox") is CONNECTOR
    assert tuple(s.name for s in CONNECTOR.streams) == SYNC_ORDER
    assert CONNECTOR.capabilities.models == frozenset(MODELS) and CONNECTOR.deletion_feed
    assert CONNECTOR.capabilities.supports_filter("applications", "job_ids")


def test_full_read_without_changes_is_the_generator(engine: Engine, environment: str) -> None:
    info = make_integration(engine, environment, 8, 1500)
    records = read_all(open_source(info), None)
    gen = SandboxATS(8, 1500)
    for kind in KINDS:
        assert records[kind] == list(gen.records(kind)), kind
    assert asyncio.run(open_source(info).deletions(None)).by_model == {}
    assert read_all(open_source(info), datetime(2000, 1, 1).astimezone()) == {kind: [] for kind in KINDS}


def test_simulate_touches_every_kind_of_action(simulated: tuple[IntegrationInfo, SimulationReport]) -> None:
    _, report = simulated
    assert len(report.actions) == 250
    assert {a.action for a in report.actions} == {
        "move_stage", "hire", "reject", "withdraw", "add_interview", "add_offer", "change_offer_status",
        "edit_candidate", "edit_job", "tag_candidate", "add_note", "new_candidate", "delete"}  # fmt: skip
    assert report.deleted() and report.upserted()
    assert "250 changes" in str(report)


def test_delta_read_and_deletions_serve_exactly_the_changes(
    simulated: tuple[IntegrationInfo, SimulationReport],
) -> None:
    info, report = simulated
    since = just_before(report)
    changed = read_all(open_source(info), since)
    upserted = report.upserted()
    for kind in KINDS:
        assert {r["id"] for r in changed[kind]} == upserted.get(kind, set()), kind
        assert all(r["updated_at"] >= int(report.started_at.timestamp() * 1000) for r in changed[kind])
    deletions = asyncio.run(open_source(info).deletions(since)).by_model
    assert {k: set(v) for k, v in deletions.items()} == report.deleted()
    assert asyncio.run(open_source(info).deletions(None)).by_model == deletions
    later = datetime.now().astimezone() + timedelta(seconds=1)
    assert asyncio.run(open_source(info).deletions(later)).by_model == {}
    assert read_all(open_source(info), later) == {kind: [] for kind in KINDS}


def test_full_read_reflects_the_changes(simulated: tuple[IntegrationInfo, SimulationReport]) -> None:
    info, report = simulated
    full = read_all(open_source(info), None)
    changed = read_all(open_source(info), just_before(report))
    gen = SandboxATS(4, "small")
    for kind in KINDS:
        by_id = {r["id"]: r for r in full[kind]}
        assert len(by_id) == len(full[kind]), kind
        for rid in report.deleted().get(kind, set()):
            assert rid not in by_id
        for rec in changed[kind]:
            assert by_id[rec["id"]] == rec
        created = {rid for rid in report.upserted().get(kind, set()) if gen.index_of(kind, rid) is None}
        base_deleted = {rid for rid in report.deleted().get(kind, set()) if gen.index_of(kind, rid) is not None}
        assert len(full[kind]) == gen.count(kind) - len(base_deleted) + len(created), kind
    check_integrity(map_all(full, info.id))  # cascades left no dangling references


def test_simulate_is_deterministic_and_continues(engine: Engine, environment: str) -> None:
    first, second = (make_integration(engine, environment, 2, "tiny") for _ in range(2))
    reports = [simulate(engine, info.id, 2, "tiny", 40, rng_seed=5) for info in (first, second)]
    assert [(a.action, a.created, a.updated, a.deleted) for a in reports[0].actions] == [
        (a.action, a.created, a.updated, a.deleted) for a in reports[1].actions
    ]
    time.sleep(0.005)
    again = simulate(engine, first.id, 2, "tiny", 40, rng_seed=6)
    earlier = {key for a in reports[0].actions for key in a.created}
    assert not earlier & {key for a in again.actions for key in a.created}, "new remote ids must not be reused"
    changed = read_all(open_source(first), just_before(again))
    assert {(k, r["id"]) for k, recs in changed.items() for r in recs} == {
        (k, rid) for k, rids in again.upserted().items() for rid in rids
    }
    check_integrity(map_all(read_all(open_source(first), None), first.id))


def test_attachment_content(simulated: tuple[IntegrationInfo, SimulationReport]) -> None:
    info, report = simulated
    gen = SandboxATS(4, "small")
    deleted = report.deleted().get("attachments", set())
    live = next(gen.remote_id("attachments", i) for i in range(gen.count("attachments"))
                if gen.remote_id("attachments", i) not in deleted)  # fmt: skip
    found = attachment_content(info, live)
    assert found is not None and found == attachment_content(info, live)
    assert CONNECTOR.download is not None and asyncio.run(CONNECTOR.download(info, live)) == found
    data, name, content_type = found
    assert name.endswith("_CV.pdf") and content_type == "application/pdf"
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref : xref + 4] == b"xref"
    texts = [gen.remote_id("attachments", i) for i in range(gen.count("attachments"))
             if gen.record("attachments", i)["mimeType"] == "text/plain"]  # fmt: skip
    text = attachment_content(info, next(t for t in texts if t not in deleted))
    assert text is not None and text[2] == "text/plain" and text[0].decode()
    assert attachment_content(info, "att_999999999") is None
    for rid in deleted:
        assert attachment_content(info, rid) is None

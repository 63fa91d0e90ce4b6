"""A stateful fake of Workday's Recruiting web service (SOAP, v45.2) for tests and demos.

Served: ``POST /ccx/service/{tenant}/Recruiting/v45.2`` with a SOAP envelope whose body names the operation:
``Get_Candidates`` (by ``Request_References``, or ``Request_Criteria`` with ``Transaction_Log_Criteria_Data``
``Updated_From/Through`` and ``Candidate_Email_Address``), ``Get_Job_Requisitions`` (same update filter),
``Put_Candidate`` (``Add_Only``: a new candidate applying to an open requisition) and ``Move_Candidate``
(``Next_Step_Reference`` by ``Recruiting_Stage_ID`` moves the stage, by ``Workflow_Step_ID`` records the step;
``Disposition_Step_Reference`` dispositions), and ``POST .../Human_Resources/v45.2`` ``Get_Workers`` (the WWS
``Worker_Data`` convention, no sample; ``Exclude_Inactive_Workers``). ``GET ...?wsdl`` answers a stub.
Candidates follow Workday's ``Get_Candidates_Response`` sample, the Put answer its ``Put_Candidate_Response``
sample (``payloads/``, schema skeletons published by Workday); requisitions are built field by field from the
reference (no sample exists) inside the ``Job_Requisition_Reference``/``Job_Requisition_Data`` convention.

Auth: the ISU's ``UsernameToken`` in the envelope (``wd_isu@acme`` / ``wd_password``), or a bearer token from
``POST /ccx/oauth2/acme/token`` (refresh-token grant, client ``wd_client``/``wd_secret``, ``wd_refresh``).
Refusals are SOAP faults; Workday answers every fault with HTTP 500 (an authentication fault included), the
fake keeps the engine's statuses (401, 429, 400) with Workday's faultcodes, which the connector reads either
way. Paging: ``Response_Filter{Page, Count}`` (Count 1-999, Page >= 1), ``Response_Results``.
``As_Of_Entry_DateTime`` is accepted, not modelled. No deletion feed: a deleted (purged) candidate vanishes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.responses import Response

from atsbridge.core.xmldata import dig, ids, many, text
from atsbridge.fakes.kit import soap
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks
from atsbridge.fakes.workday.state import DISPOSITIONS, FIRST, LAST, STAGES, FakeState, ref, wd_time

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
BSVC = "urn:com.workday/bsvc"
VERSION = "v45.2"
SERVICE = f"/ccx/service/{{tenant}}/{{service}}/{VERSION}"
PROBE = (f"/ccx/service/acme/Recruiting/{VERSION}?wsdl", {"Authorization": "Bearer wd_probe_token"})


def _updated(request: Raw) -> tuple[str | None, str | None]:
    dates = dig(request, "Request_Criteria/Transaction_Log_Criteria_Data/Transaction_Date_Range_Data")
    return text(dig(dates, "Updated_From")), text(dig(dates, "Updated_Through"))


def _in_range(moment: Any, since: str | None, until: str | None) -> bool:
    stamp = wd_time(moment)
    return (since is None or stamp >= _norm(since)) and (until is None or stamp <= _norm(until))


def _norm(value: str) -> str:
    """Workday datetimes as the fake writes them (UTC, milliseconds) so they compare as text."""
    try:
        return wd_time(datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC))
    except ValueError:
        raise VendorError(400, f"Invalid date/time value '{value[:40]}'") from None


def get_candidates(call: Call[FakeState], request: Raw) -> Response:
    fake = call.fake
    wanted = [ids(r).get("Candidate_ID") for r in many(dig(request, "Request_References/Candidate_Reference"))]
    since, until = _updated(request)
    email = (text(dig(request, "Request_Criteria/Candidate_Email_Address")) or "").lower()
    rows = [c for c in fake.candidates.values() if (not wanted or c["id"] in wanted)
            and _in_range(c["updated"], since, until) and (not email or c["email"].lower() == email)]  # fmt: skip
    served, paging = soap.page(rows, request, fake.page_cap)
    data = {**paging, "Response_Data": {"Candidate": [fake.render_candidate(c) for c in served]}}
    return soap.answer(BSVC, "Get_Candidates_Response", data, VERSION)


def get_requisitions(call: Call[FakeState], request: Raw) -> Response:
    since, until = _updated(request)
    rows = [r for r in call.fake.requisitions.values() if _in_range(r["updated"], since, until)]
    served, paging = soap.page(rows, request, call.fake.page_cap)
    data = {**paging, "Response_Data": {"Job_Requisition": [call.fake.render_requisition(r) for r in served]}}
    return soap.answer(BSVC, "Get_Job_Requisitions_Response", data, VERSION)


def get_workers(call: Call[FakeState], request: Raw) -> Response:
    since, until = _updated(request)
    active_only = (text(dig(request, "Request_Criteria/Exclude_Inactive_Workers")) or "").lower() in ("1", "true")
    rows = [w for w in call.fake.workers.values() if _in_range(w["updated"], since, until)
            and (w["active"] or not active_only)]  # fmt: skip
    served, paging = soap.page(rows, request, call.fake.page_cap)
    data = {**paging, "Response_Data": {"Worker": [call.fake.render_worker(w) for w in served]}}
    return soap.answer(BSVC, "Get_Workers_Response", data, VERSION)


def put_candidate(call: Call[FakeState], request: Raw) -> Response:
    fake = call.fake
    data = dig(request, "Candidate_Data")
    name = dig(data, "Name_Data/Legal_Name/Name_Detail_Data")
    email = text(dig(data, "Contact_Data/Email_Address"))
    req_id = ids(dig(data, "Job_Application_Data/Job_Applied_To_Data/Job_Requisition_Reference")).get(
        "Job_Requisition_ID")
    if not (text(dig(name, "First_Name")) and text(dig(name, "Last_Name")) and email):
        raise VendorError(400, "Validation error occurred. First_Name, Last_Name and Email_Address are required")
    req = fake.requisitions.get(req_id or "")
    if req is None:
        raise VendorError(400, f"Invalid ID value. '{req_id}' is not a valid ID value for type = 'Job_Requisition_ID'")
    if req["status"] != "Open":
        raise VendorError(400, f"Validation error occurred. Job Requisition {req_id} is not open")
    for cand in fake.candidates.values():
        if cand["email"].lower() == email.lower() and any(a["req"] == req_id for a in cand["apps"]):
            raise VendorError(400, "Validation error occurred. The candidate has already applied to this job")
    cand = fake.add_candidate(str(text(dig(name, "First_Name"))), str(text(dig(name, "Last_Name"))), email, req_id,
                              phone=text(dig(data, "Contact_Data/Phone_Number")))  # fmt: skip
    app = cand["apps"][0]
    answer = {"Candidate_Reference": ref(f"{cand['first']} {cand['last']}", WID=cand["wid"], Candidate_ID=cand["id"]),
              "Candidate_Job_Application_Data": {"Job_Application_Reference": ref(None, Job_Application_ID=app["id"]),
                                                 "Job_Requisition_Reference": ref(None, Job_Requisition_ID=req["id"])}}
    return soap.answer(BSVC, "Put_Candidate_Response", answer, VERSION)


def move_candidate(call: Call[FakeState], request: Raw) -> Response:
    fake = call.fake
    data = dig(request, "Move_Candidate_Data")
    app_id = ids(dig(data, "Job_Application_Reference")).get("Job_Application_ID", "")
    found = fake.find_app(app_id)
    if found is None:
        raise VendorError(400, f"Invalid ID value. '{app_id}' is not a valid ID value for type = 'Job_Application_ID'")
    cand, app = found
    step, disposition = ids(dig(data, "Next_Step_Reference")), ids(dig(data, "Disposition_Step_Reference"))
    if step.get("Recruiting_Stage_ID") in STAGES:
        fake.touch(cand, app, stage=step["Recruiting_Stage_ID"], step=None)
    elif step.get("Workflow_Step_ID"):
        fake.touch(cand, app, step=step["Workflow_Step_ID"])
    elif disposition:
        fake.touch(cand, app, disposition=next(iter(disposition.values())))
    else:
        raise VendorError(400, "Validation error occurred. A valid next step or disposition step is required")
    return soap.answer(BSVC, "Move_Candidate_Response", {"Event_Reference": ref(None, WID=fake.wid())}, VERSION)


OPERATIONS = {"Recruiting": {"Get_Candidates_Request": get_candidates, "Put_Candidate_Request": put_candidate,
                             "Get_Job_Requisitions_Request": get_requisitions,
                             "Move_Candidate_Request": move_candidate},
              "Human_Resources": {"Get_Workers_Request": get_workers}}  # fmt: skip


def serve(call: Call[FakeState]) -> Response:
    if call.path["tenant"] != call.fake.tenant:
        raise VendorError(404, f"Tenant {call.path['tenant']} not found")
    found, _ = soap.read(call.body)
    if found is None:
        raise VendorError(400, "The request is not a SOAP envelope")
    operation = OPERATIONS.get(call.path["service"], {}).get(found.operation)
    if operation is None:
        raise VendorError(400, f"Unknown operation {found.operation}")
    return operation(call, found.data)


def wsdl(call: Call[FakeState]) -> Response:
    if call.path["service"] not in OPERATIONS:
        raise VendorError(404, f"No such service {call.path['service']}")
    return Response(f'<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" name="Recruiting" '
                    f'targetNamespace="{BSVC}"/>'.encode(), media_type=soap.XML)  # fmt: skip


# ------------------------------------------------------------------------------------------ simulate
def _app(fake: FakeState, rnd: random.Random, pending: bool = True) -> tuple[Raw, Raw] | None:
    pairs = [(c, a) for c in fake.candidates.values() for a in c["apps"] if not pending or not a["disposition"]]
    return pairs[rnd.randrange(len(pairs))] if pairs else None


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.touch(fake.candidates[cid], first=rnd.choice(FIRST), last=rnd.choice(LAST))
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    return _app_change(fake, rnd, stage=rnd.choice(STAGES[:-1]))


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    return _app_change(fake, rnd, disposition=rnd.choice(DISPOSITIONS)[0])


def _app_change(fake: FakeState, rnd: random.Random, **changes: Any) -> Change | None:
    found = _app(fake, rnd)
    if found is None:
        return None
    fake.touch(*found, **changes)
    return Change("applications", found[1]["id"], "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    found = _app(fake, rnd)
    if found is None:
        return None
    cand, app = found
    cand["worker"] = f"E{rnd.randrange(10000, 99999)}"
    fake.touch(cand, app, stage="Ready_for_Hire")
    return Change("applications", app["id"], "updated")


def _leave(fake: FakeState, rnd: random.Random) -> Change | None:
    active = [w for w in fake.workers.values() if w["active"]]
    if len(active) < 2:
        return None
    worker = active[rnd.randrange(len(active))]
    worker.update(active=False, updated=fake.now())  # Exclude_Inactive_Workers: gone from the listing
    return Change("workers", worker["id"], "deleted")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    # not one simulate made: its new application would vanish with it, unreported (one change per step)
    cid = pick(rnd, {k: c for k, c in fake.candidates.items() if not c.get("simulated")})
    if cid is None or len(fake.candidates) < 2:
        return None
    del fake.candidates[cid]  # a data-privacy purge: gone from every listing
    return Change("candidates", cid, "deleted")


def _new(fake: FakeState, rnd: random.Random) -> Change | None:
    req = pick(rnd, fake.requisitions)
    if req is None:
        return None
    first, last = rnd.choice(FIRST), rnd.choice(LAST)
    cand = fake.add_candidate(first, last, f"{first}.{last}.{fake.seq}@example.org".lower(), req)
    cand["simulated"] = True
    return Change("applications", cand["apps"][0]["id"], "created")


HOOKS = Hooks(
    lambda fake: {"candidates": len(fake.candidates), "requisitions": len(fake.requisitions),
                  "workers": len(fake.workers),
                  "applications": sum(len(c["apps"]) for c in fake.candidates.values())},
    simulator(_edit, _move, _hire, _reject, _delete, _new, _leave),
    lambda fake: {"candidates": list(fake.candidates), "jobs": list(fake.requisitions),
                  "applications": [a["id"] for c in fake.candidates.values() for a in c["apps"]],
                  "users": [w["id"] for w in fake.workers.values() if w["active"]]},
    {"candidates": "candidates", "applications": "applications", "requisitions": "jobs", "workers": "users"},
)  # fmt: skip
SPEC = FakeSpec(name="workday", errors=soap.fault, hooks=HOOKS,
                endpoints=[Endpoint("POST", SERVICE, serve), Endpoint("GET", SERVICE, wsdl)])  # fmt: skip


def create_app(seed: int = 1, records: int = 200, *, latency: float = 0.0,
               rate_limit: tuple[int, float] | None = (10, 1.0),
               state: FakeState | None = None) -> Starlette:  # fmt: skip
    """A tenant with ``records // 2`` candidates (some with two applications) over ``records // 10`` requisitions."""
    fake = state if state is not None else FakeState.generate(seed, records, rate_limit)
    fake.latency = latency
    auth = fake.auth
    if isinstance(auth, soap.WsSecurityAuth):
        auth.issued.add(PROBE[1]["Authorization"].removeprefix("Bearer "))
    return build_app(SPEC, fake)


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/ccx/service/acme", "host": "wd5-services1.myworkday.com",
                      "tenant": "acme"},
    {"isu_username": "wd_isu", "isu_password": "wd_password"},
)  # fmt: skip

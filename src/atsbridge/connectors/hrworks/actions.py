"""HRworks writes (reference §5.7): create a job application (with its applicant) and upload files to it.

Both are **asynchronous** on HRworks' side: the POST answers ``{"jobId"}`` and the outcome is read from
``GET .../job-applications/jobs/{jobId}`` (``pending``, then ``finished`` with ``apiResponse``: per-record
``result[]`` or ``dataErrors``/``generalErrors``). Create-once therefore works in two steps: the job id is saved
(``call.step``) the moment the POST answers, so a retry under the same Idempotency-Key asks *that job* again; when
the POST's answer itself was lost (a stall between POST and poll), the retry looks the application up by the
applicant's e-mail on the post, created since the first try began (files: by name in ``applicationDocuments``), and
creates only when nothing is there.

Unverified [conn, generated SDK only]: where a finished job names the new record (read from ``result[].data.id``,
else the last segment of ``result[].resourceLocation``); that ``postId`` accepts the post's uuid (the ``Post``
model exposes no other id); that a file upload's job is read on the same ``/jobs`` endpoint; that
``applicationDocuments`` lists file names. HRworks has no screening questions: answers are written into the
application's ``remark`` with a warning. ``remote_fields.hrworks.jobApplication`` (Kombo's contract) is merged
into the ``JobApplicationData`` as given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult, now_ms
from atsbridge.connectors.hrworks.api import APPLICANTS, APPLICATIONS, JOB
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
CLOCK_SKEW_MS = 60_000
Create = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


def _created_ms(app: Raw) -> int:
    """``creationDateAndTime`` in ms (0 when absent or unreadable: such a record is never adopted)."""
    try:
        stamp = datetime.fromisoformat(str(app.get("creationDateAndTime")).replace("Z", "+00:00"))
    except ValueError:
        return 0
    return int((stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp() * 1000)


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no HRworks job application to write to")
    return str(rid)


def job_outcome(body: Any) -> Raw:
    """The one record a finished job made; its errors refused outright (nothing was made: not retryable)."""
    api = body.get("apiResponse") if isinstance(body, dict) else None
    if not isinstance(api, dict):
        raise RemoteError(
            "REMOTE.UNKNOWN_HTTP_ERROR", "the HRworks job finished without an apiResponse", retryable=True
        )
    results = [r for r in api.get("result") or [] if isinstance(r, dict)]
    errors = [e for e in (api.get("generalErrors") or []) + (api.get("dataErrors") or []) if isinstance(e, dict)]
    errors += [e for r in results for e in r.get("errors") or [] if isinstance(e, dict)]
    if errors:
        text = "; ".join(str(e.get("errorMessage") or e.get("message") or e) for e in errors)[:500]
        raise RemoteError("REMOTE.INPUT_INVALID", f"HRworks refused the write: {text}", status=400)
    for result in results:
        found = result.get("data")
        data: Raw = found if isinstance(found, dict) else {}
        rid = data.get("id") or unquote(str(result.get("resourceLocation") or "").rstrip("/").rpartition("/")[2])
        if rid:
            return {**data, "id": str(rid)}
    raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the HRworks job finished without naming a record", retryable=True)


async def _once_job(
    source: kit.KitSource, call: WriteCall[Any], key: str, submit: Callable[[], Awaitable[str]],
    look: Callable[[Any], Awaitable[Raw | None]], marker: Any = None,
) -> Raw:  # fmt: skip
    """Create-once for an asynchronous write: ``submit`` POSTs and answers the job id (saved at once), the job is
    polled to its end; a resumed call asks the saved job again, else ``look``s for what the lost POST made."""
    job_key = f"{key}_job_id"

    async def create() -> Raw:
        job_id = await submit()
        call.step(job_key, job_id)
        return job_outcome(await JOB.wait(source.client, job_id))

    async def find(mark: Any) -> Raw | None:
        job_id = call.progress.get(job_key)
        if job_id:
            try:
                return job_outcome(await JOB.wait(source.client, str(job_id)))
            except RemoteError as exc:
                if exc.status != 400:  # 400: HRworks no longer knows the job; fall back to looking
                    raise
        return await look(mark)

    return await call.once(key, create, find=find, marker=marker)


async def _rows(source: kit.KitSource, name: str, path: str, wrapper: str, params: Raw) -> list[Raw]:
    return [row async for page in source.listing(name, path, params, records_path=wrapper) for row in page]


async def _applications_of(source: kit.KitSource, post: str | None) -> list[Raw]:
    return await _rows(source, "job_applications", APPLICATIONS, "jobApplications", {"posts": post} if post else {})


async def _application(source: kit.KitSource, app_id: str, post: str | None) -> Raw:
    """The job application as listed (the API has no single-application read), filtered by its post."""
    found = next((a for a in await _applications_of(source, post) if str(a.get("id")) == app_id), None)
    if found is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"HRworks does not list job application {app_id} yet",
                          retryable=True)  # fmt: skip
    return found


async def _applicant(source: kit.KitSource, uuid: str) -> Raw | None:
    rows = await _rows(source, "applicants", APPLICANTS, "applicants", {"applicants": uuid})
    return next((a for a in rows if str(a.get("uuid")) == uuid), None)


def _remark(call: WriteCall[Create]) -> tuple[str | None, list[str]]:
    lines = [f"{a.question.get('title') or a.question.get('remote_id')}: {_answer_text(a.value)}" for a in call.answers
             if not isinstance(a.value, FileData)]  # fmt: skip
    if not lines:
        return None, []
    return "\n".join(lines), ["HRworks has no screening questions: the answers were written into the remark"]


def _answer_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v.get("name") if isinstance(v, dict) else v) for v in value)
    return str(value)


def payload(call: WriteCall[Create], post: str) -> tuple[Raw, list[str]]:
    """The ``JobApplicationData`` [conn] of one application; ``remote_fields.hrworks.jobApplication`` wins."""
    c = call.body.candidate
    data: Raw = {"postId": post, "firstName": c.first_name, "lastName": c.last_name, "email": c.email_address}
    if c.title:
        data["title"] = c.title
    if c.phone_number:
        data["phone"] = c.phone_number
    if c.location:
        address = {"city": c.location.city, "zipCode": c.location.zip_code, "street": c.location.street_1,
                   "state": c.location.state}  # fmt: skip
        data["address"] = {k: v for k, v in address.items() if v}
        data["countryCode"] = c.location.country
    if c.availability_date:
        data["earliestPossibleJoinDate"] = c.availability_date.date().isoformat()
    if call.body.source and call.body.source.name:
        data["howDidYouHearAboutUs"] = call.body.source.name
    consent = call.body.gdpr_consent
    if consent is not None and consent.given is not None:
        data["permissionToStoreApplication"] = bool(consent.given)
        data["hasPrivacyTermsAccepted"] = bool(consent.given)
    remark, warnings = _remark(call)
    if remark:
        data["remark"] = remark
    extra = call.remote_fields.get("jobApplication")
    return {**data, **(extra if isinstance(extra, dict) else {})}, warnings


async def _upload(source: kit.KitSource, call: WriteCall[Any], app_id: str, post: str | None, f: FileData,
                  key: str) -> str:  # fmt: skip
    """``POST .../job-applications/{id}/files?fileName=&contentType=`` with the bytes as the body; a job too."""

    async def submit() -> str:
        return await JOB.submit(source.client, f"{APPLICATIONS}/{app_id}/files", content=f.content,
                                params={"fileName": f.name, "contentType": f.content_type},
                                headers={"Content-Type": "application/octet-stream"})  # fmt: skip

    async def look(_: Any) -> Raw | None:
        docs = (await _application(source, app_id, post)).get("applicationDocuments") or []
        return {"id": f"{app_id}:{f.name}"} if f.name in docs else None

    await _once_job(source, call, key, submit, look)
    return f"{app_id}:{f.name}"  # files have no id of their own in the API: the application and the name


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    post = call.job_remote_id or (call.job or {}).get("remote_id")
    if not post:
        raise RemoteError("REMOTE.INPUT_INVALID", "HRworks keeps applicants only with a job application: name a job")
    post = str(post)
    data, warnings = payload(call, post)
    email = str(data.get("email") or "").lower()

    async def submit() -> str:
        return await JOB.submit(source.client, APPLICATIONS, json={"jobApplications": [data]})

    async def look(mark: Any) -> Raw | None:
        """The applicant's application on this post created since the first try began (a minute of clock skew
        allowed): an older application of the same person is not adopted."""
        since = (mark or {}).get("since_ms", 0) if isinstance(mark, dict) else 0
        mine = [a for a in await _applications_of(source, post)
                if str((a.get("applicant") or {}).get("email") or "").lower() == email
                and _created_ms(a) >= since - CLOCK_SKEW_MS]  # fmt: skip
        return {"id": str(mine[-1]["id"])} if mine else None

    marker = {"email": email, "since_ms": now_ms()}
    created = await _once_job(source, call, "application", submit, look, marker=marker)
    app_id = str(created["id"])
    files = list(call.files) + [a.value for a in call.answers if isinstance(a.value, FileData)]
    for i, f in enumerate(files):
        await _upload(source, call, app_id, post, f, f"file_{i}")
    app = await _application(source, app_id, post)
    records: list[tuple[str, Raw]] = [("job_applications", app)]
    uuid = str((app.get("applicant") or {}).get("uuid") or "")
    applicant = await _applicant(source, uuid) if uuid else None
    if applicant is not None:
        records.insert(0, ("applicants", applicant))
    return WriteResult(records, warnings,
                       {"application_remote_id": app_id, "candidate_remote_id": uuid or None})  # fmt: skip


@WRITES.application_attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    app_id = _application_id(call)
    post = (call.job or {}).get("remote_id")
    rid = await _upload(source, call, app_id, str(post) if post else None, call.files[0], "attachment")
    app = await _application(source, app_id, str(post) if post else None)
    return WriteResult([("job_applications", app)], created={"attachment_remote_id": rid})


ACTIONS = WRITES.actions()

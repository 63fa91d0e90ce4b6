"""Welcome to the Jungle writes [doc: ``WTTJ/wk-api-docs``].

* Create: ``POST /candidates`` (``organization_reference``, ``job_reference``, ``job_stage_id`` — the requested
  stage or the job's ``initial`` one —, ``email``, ``firstname``, ``lastname``, ``phone``, ``subtitle``,
  ``media_*`` links). Files are imported **only from public URLs**: a CV given as ``data_url`` is sent as
  ``remote_resume_url``; inline files are not sent (warning). Create-once: a retry looks the candidate up
  with ``GET /candidates?job_reference=&email=``. One person applying to two jobs is two WTTJ candidates.
* Stage: ``PUT /candidates/:reference {job_stage_id}``; reject: the same to the job's ``refused`` stage (WTTJ
  has no rejection reasons), the note as a comment.
* Notes and result links: ``POST /comments {candidate_reference, content}``. Comments are **write-only**
  (scope ``comments_w``, no list): a retry after a lost answer cannot look, so it refuses (``UnknownOutcome``)
  rather than risk a duplicate.
* Tags: ``PUT /candidates/:reference {tag_list}`` replaces the list (comma-separated), so the current tags are
  read first.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.values import dict_obj, numeric_id
from atsbridge.connectors.welcometothejungle import mappers as m
from atsbridge.connectors.welcometothejungle.api import candidate, job
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Source = kit.KitSource
Create = bodies.CreateApplication | bodies.CreateCandidate
_MEDIA = {"linkedin.com": "media_linkedin", "github.com": "media_github", "twitter.com": "media_twitter",
          "x.com": "media_twitter", "dribbble.com": "media_dribbble", "behance.net": "media_behance",
          "stackoverflow.com": "media_stackoverflow", "facebook.com": "media_facebook",
          "instagram.com": "media_instagram", "medium.com": "media_medium", "vimeo.com": "media_vimeo"}  # fmt: skip


WRITES = kit.WriteTable()


def _rid(record: Raw | None, what: str) -> str:
    if record and record.get("remote_id"):
        return str(record["remote_id"])
    raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no Welcome to the Jungle reference")


def _created(response: httpx.Response, key: str, what: str) -> Raw:
    """What a POST answered, carrying ``key``. A cut-off or empty answer after a 2xx means WTTJ probably made
    it: retryable, so the intent stays and a retry looks before creating again."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or body.get(key) is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Welcome to the Jungle sent back no {what}", retryable=True)
    return body


async def _update(source: Source, reference: str, changes: Raw) -> Raw:
    """``PUT /candidates/:reference`` (idempotent: retried like a read), then the candidate as listed."""
    await source.client.request("PUT", f"/candidates/{quote(reference, safe='')}", json=changes)
    return await candidate(source, reference)


# ------------------------------------------------------------------------------------------------ create
def _payload(call: WriteCall[Create], org: str, job_ref: str, stage_id: object) -> tuple[Raw, list[str]]:
    c = call.body.candidate
    payload: Raw = {"organization_reference": org, "job_reference": job_ref, "job_stage_id": stage_id,
                    "email": c.email_address, "firstname": c.first_name, "lastname": c.last_name}  # fmt: skip
    if c.phone_number:
        payload["phone"] = c.phone_number
    if c.title:
        payload["subtitle"] = c.title
    for link in c.social_links or []:
        key = next((k for host, k in _MEDIA.items() if host in link.url.lower()), "media_website")
        payload.setdefault(key, link.url)
    warnings = []
    for upload in call.body.attachments or []:
        if upload.type == "CV" and upload.data_url and "remote_resume_url" not in payload:
            payload["remote_resume_url"] = upload.data_url
        else:
            warnings.append(f"{upload.name}: Welcome to the Jungle imports only a CV given by public URL; not sent")
    if call.answers:
        warnings.append("Welcome to the Jungle's API takes no screening answers: they were not sent")
    return payload, warnings


def _stage_of(stages: list[m.Raw], reference: str) -> Raw | None:
    return next((dict(s) for s in stages if s.get("reference") == reference), None)


@WRITES.create
async def create_application(source: Source, call: WriteCall[Create]) -> WriteResult:
    job_ref = call.job_remote_id
    if not job_ref:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Welcome to the Jungle reference")
    the_job = await job(source, job_ref)
    if the_job.get("status") == "archived":
        raise JobClosed(f"job {job_ref} is archived")
    stages = m.stages_of(the_job)
    wanted = (call.stage or {}).get("remote_id")
    first = _stage_of(stages, "initial") or (stages[0] if stages else {})
    stage_id = numeric_id(str(wanted)) if wanted else first.get("id")
    org = str(the_job.get("organization_reference") or source.config.get("organization_reference") or "")
    payload, warnings = _payload(call, org, job_ref, stage_id)
    email = call.body.candidate.email_address.strip().lower()

    async def find(_: object) -> Raw | None:
        rows = await source.get_json("/candidates", {"job_reference": job_ref, "email": email})
        hits = [r for r in rows or [] if isinstance(r, dict)
                and str(dict_obj(r.get("profile")).get("email", "")).lower() == email]  # fmt: skip
        return hits[0] if hits else None

    async def create() -> Raw:
        try:
            response = await kit.create_request(source.client, "POST", "/candidates", json=payload)
        except RemoteError as exc:
            if exc.status == 422 and "already" in exc.message.lower():
                raise AlreadyApplied(f"{email} already applied to job {job_ref}") from None
            raise
        return _created(response, "reference", "candidate")

    made = await call.once("candidate", create, find=find, marker=email, id_of=lambda r: r["reference"])
    ref = str(made["reference"])
    found = await candidate(source, ref)
    return WriteResult([("candidates", found)], warnings,
                       {"application_remote_id": ref, "candidate_remote_id": ref})  # fmt: skip


# ----------------------------------------------------------------------------------------- application
@WRITES.move
async def move_stage(source: Source, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    ref = _rid(call.application, "application")
    found = await _update(source, ref, {"job_stage_id": numeric_id(_rid(call.stage, "stage"))})
    return WriteResult([("candidates", found)])


async def _comment(source: Source, call: WriteCall[Any], reference: str, text: str) -> str:
    """``POST /comments``, created once; comments cannot be listed, so a resumed call refuses."""

    async def create() -> Raw:
        body = {"candidate_reference": reference, "content": text}
        return _created(await kit.create_request(source.client, "POST", "/comments", json=body), "id", "comment")

    return str((await call.once("note", create, find=None))["id"])


@WRITES.reject
async def reject(source: Source, call: WriteCall[bodies.Reject]) -> WriteResult:
    ref = _rid(call.application, "application")
    current = await candidate(source, ref)
    refused = _stage_of(m.stages_of(await job(source, str(current.get("job_reference") or ""))), "refused")
    if refused is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no stage with reference 'refused' to reject into")
    found = await _update(source, ref, {"job_stage_id": refused["id"]})
    if call.body.note:
        await _comment(source, call, ref, call.body.note)
    return WriteResult([("candidates", found)])


@WRITES.note
async def add_note(source: Source, call: WriteCall[bodies.Note]) -> WriteResult:
    note_id = await _comment(source, call, _rid(call.application, "application"), call.body.content)
    return WriteResult(created={"note_remote_id": note_id})


@WRITES.result_link
async def add_result_link(source: Source, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    target = call.application if call.action == "add_application_result_link" else call.candidate
    note_id = await _comment(source, call, _rid(target, "record"), kit.result_link_text(call.body))
    return WriteResult(warnings=[kit.result_link_warning("Welcome to the Jungle")],
                       created={"note_remote_id": note_id})  # fmt: skip


# -------------------------------------------------------------------------------------------------- tags
async def _set_tags(source: Source, call: WriteCall[bodies.TagBody], add: bool) -> WriteResult:
    ref = _rid(call.candidate, "candidate")
    current = m.tags_of(await candidate(source, ref))
    name = call.body.tag.name
    tags = kit.with_tag(current, name) if add else kit.without_tag(current, name)
    if tags is None:
        return WriteResult(warnings=[] if add else [kit.missing_tag_warning(name)])
    found = await _update(source, ref, {"tag_list": ",".join(tags)})
    return WriteResult([("tags", {"name": t}) for t in m.tags_of(found)] + [("candidates", found)])


@WRITES.add_tag
async def add_tag(source: Source, call: WriteCall[bodies.TagBody]) -> WriteResult:
    if "," in call.body.tag.name:
        raise RemoteError("REMOTE.INPUT_INVALID", "tag.name: Welcome to the Jungle tag names cannot contain commas")
    return await _set_tags(source, call, add=True)


@WRITES.remove_tag
async def remove_tag(source: Source, call: WriteCall[bodies.TagBody]) -> WriteResult:
    return await _set_tags(source, call, add=False)


ACTIONS = WRITES.actions()

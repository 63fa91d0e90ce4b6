"""Teamtailor (JSON:API ``/v1``): an API key as ``Authorization: Token token=<key>`` plus the mandatory
``X-Api-Version`` header.

What the API imposes, and where it is encoded:

* Two stacks: ``config.region`` ``eu`` (default) -> ``api.teamtailor.com``, ``na`` -> ``api.na.teamtailor.com``;
  ``config.base_url`` overrides both. A valid key on the wrong stack answers 401, exactly like a bad key.
* ``X-Api-Version`` is required (406 without it): ``config.api_version``, default :data:`API_VERSION`.
* Paging: ``page[size]`` at most 30, then ``links.next`` until absent (``api.API``).
* ``config.timeout_seconds`` (default 30) bounds each request.
* Rate limit: about 50 requests per 10 s per key, reported in ``X-Rate-Limit-Remaining``/``-Reset`` (which the
  shared client honours). We pace at ``api.REQUESTS_PER_10S`` (``config.requests_per_10s`` overrides).
* Linkage only for included relations: each listing names its ``include`` (``streams``).
* Delta filters: ``filter[updated-at][from]`` on candidates and job applications only; everything else is
  listed in full on every run. Jobs need ``filter[status]=all`` (the default lists published jobs only).
* Deletions: no tombstones in the REST API (only ``*.destroy`` webhooks), so ``deletion_feed=False`` and the
  engine finds deletions by id-diff after a complete full sync (no ``DeletionFeed``).

Modelling choices (details in ``mappers``):

* Applications are job applications; stages are per job (``job_id`` set); outcome: HIRED in a ``Hired`` stage,
  else DECLINED once ``rejected-at`` is set (reason from ``reject-reason``), else PENDING.
* Screening answers live on the candidate: an application shows its candidate's answers to its job's
  questions (``picked-questions``, whose ``mandatory`` is the question's ``required``).
* Tags are the strings in candidates' ``tags`` (no tag ids exist); roles are the users' ``role`` values plus
  the job's recruiter; attachments are ``/uploads`` plus each candidate's converted ``resume`` (a CV).
* Notes are candidate notes (``application_id`` is None).
* Not synced: interviews/scorecards (``/interviews`` is undocumented and unverified) and offers (the
  ``job-offers`` add-on's status values are not documented).

Webhooks (``webhooks.py``): company webhooks added by hand in Teamtailor's settings (no public API creates
them); v2 ``TT-Signature`` (base64 of ``t=<ts>,v2=<hex HMAC-SHA256>``, 5 minute replay window); candidate, job
and job application events queue a delta of the streams they touch (and let deletions wait for the full sync,
as polling does).

Known limits: a change that does not move its record's ``updated-at`` (an answer edited after the application,
a relation added to a candidate) reaches a delta sync only when that record changes again, and the next full
sync in any case. Notes, uploads, jobs, stages and users have no delta filter and are re-listed every run.
"""

from __future__ import annotations

from dataclasses import replace

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.teamtailor.actions import ACTIONS
from atsbridge.connectors.teamtailor.api import API, TeamtailorSource, base_url, opener
from atsbridge.connectors.teamtailor.jsonapi import attributes
from atsbridge.connectors.teamtailor.streams import STREAMS
from atsbridge.connectors.teamtailor.webhooks import WEBHOOKS

__all__ = ["CONNECTOR", "base_url"]


async def _file_url(source: TeamtailorSource, remote_id: str) -> tuple[str, str] | None:
    """A fresh signed URL (they live about a minute) and a file name, or None when the file is gone."""
    if remote_id.startswith("resume-"):
        cand = await source.one(f"/candidates/{remote_id.removeprefix('resume-')}")
        url = attributes(cand).get("resume") if cand else None
        return (str(url), "resume.pdf") if url else None
    upload = await source.one(f"/uploads/{remote_id}")
    url = attributes(upload).get("url") if upload else None
    return (str(url), str(attributes(upload).get("file-name") or remote_id)) if upload and url else None


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """Escape hatch (signed URLs): the file is fetched from storage without our token (a second credential
    would be refused)."""
    if not remote_id.replace("-", "").isalnum():
        return None
    source = TeamtailorSource(API, API.client(info), info.config)
    try:
        found = await _file_url(source, remote_id)
    finally:
        await source.aclose()
    if found is None:
        return None
    url, name = found
    file = await kit.fetch_signed(url)
    if file is None:
        return None
    kind = file.headers.get("content-type", "").split(";")[0] or kit.guess_content_type(name)
    return file.content, name, kind


REGION = FormField(
    "region", "Region", kind="select", target="config", default="eu",
    options=(("eu", "Europe (api.teamtailor.com)"), ("na", "North America (api.na.teamtailor.com)")),
)  # fmt: skip

#: Filters the data backs. Notes and files hang on candidates only, so no ``application_ids``; jobs have no
#: job code; users' emails, candidates' names and emails, and everything on applications are present.
FILTERS: dict[str, frozenset[str]] = {
    "attachments": frozenset({"candidate_ids"}),
    "jobs": frozenset(
        {"employment_types", "name_contains", "post_url", "remote_created_after", "statuses", "visibilities"}
    ),
    "notes": frozenset({"candidate_ids"}),
}

CONNECTOR = replace(
    kit.declare(
        tool="teamtailor",
        label="Teamtailor",
        api=API,
        streams=STREAMS,
        writes=ACTIONS,
        filters=FILTERS,
        probe=kit.Probe(
            "/users",
            {"page[size]": 1},
            refused="this API key for the selected region (check both)",
            forbidden="Teamtailor accepted the API key but denied access (403): use an Admin key with read access",
        ),
        connect=kit.ConnectForm(
            instructions="Create a Teamtailor API key and choose the region your account is hosted in.",
            guide_url="https://docs.teamtailor.com/#authentication",
            extra=(REGION,),
        ),
        download=_download,
        webhooks=WEBHOOKS,
    ),
    open=opener(STREAMS),  # the JSON:API source (api.TeamtailorSource)
)

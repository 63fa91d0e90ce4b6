"""eRecruiter's streams as data. The API has no "list every applicant/application" call and no paging: jobs
are read per publication channel, applications per job (``Applications/ByJob``, slim ``{Id, JobId,
ApplicantId}`` rows), and each applicant once, with all its applications (``Applicant/{id}`` +
``Applications/{id}``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.erecruiter import mappers as m
from atsbridge.connectors.erecruiter.api import APPLICANTS, JOBS, STATUSES, TAGS
from atsbridge.connectors.http.errors import RemoteError

Raw = dict[str, Any]


def _rows(body: Any, key: str | None = None) -> list[Raw]:
    found = body.get(key) if key and isinstance(body, dict) else body
    if not isinstance(found, list):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"eRecruiter answered without a {key or 'JSON'} list")
    return [r for r in found if isinstance(r, dict)]


def channels(mandator: Any) -> list[str]:
    """The mandator's job publication channels (``JobPublicationTypes[].Name``): ``PublishedJobs`` lists one
    channel at a time and has no "all channels" form [doc]."""
    types = mandator.get("JobPublicationTypes") if isinstance(mandator, dict) else None
    names = [str(t.get("Name")).strip() for t in types or [] if isinstance(t, dict) and t.get("Name")]
    return list(dict.fromkeys(n for n in names if n))


async def _jobs(source: kit.KitSource, since: datetime | None) -> AsyncIterator[list[Raw]]:
    found: dict[Any, Raw] = {}
    for channel in channels(await source.get_json("/Mandator")):
        for job in _rows(await source.get_json("/PublishedJobs", {"channel": channel}), "Jobs"):
            if job.get("Id") is not None:
                found.setdefault(job["Id"], job)  # a job on several channels comes once per channel
    yield list(found.values())


def _applicant(row: Raw) -> Any:
    return row.get("ApplicantId")


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/Users/")),
    kit.stream("jobs", "jobs", m.map_job,
               kit.Custom(_jobs, reason="jobs are listed per publication channel, the channels read from the "
                          "mandator, and a job on several channels is kept once"),
               publishes=[kit.Publish(JOBS, lambda r: {"id": r["Id"]}, key=lambda r: r.get("Id"))]),
    # ``ByJob`` answers every open application on the job (``ApplicationSearch`` permission) [doc changelog]
    kit.lookup_only("job_applications", kit.FanOut(JOBS, {"applications": "/Applications/ByJob/{key}"}),
                    publishes=[kit.Publish(APPLICANTS, lambda r: {"id": r["ApplicantId"]}, key=_applicant)]),
    kit.stream(
        "applicants", ("candidates", "applications"), m.map_applicant,
        kit.Derived(APPLICANTS, lambda key, _value: [{"id": key}]),
        steps=[kit.Detail("/Applicant/{id}", into="_applicant"),
               kit.Detail("/Applications/{id}", into="_applications")],
        publishes=[kit.Publish(STATUSES, fold=m.fold_statuses), kit.Publish(TAGS, fold=m.fold_tags)],
    ),
    # no listing of workflow statuses or tags exists: the ones seen on applicants and their applications
    kit.stream("statuses", "application_stages", m.map_stage, kit.Derived(STATUSES, m.id_rows)),
    kit.stream("tags", "tags", m.map_tag, kit.Derived(TAGS, m.id_rows)),
    kit.stream("documents", "attachments", m.map_document,
               kit.FanOut(APPLICANTS, {"documents": "/Applicant/Documents/{key}?includeContent=false"},
                          parent_into="_applicant")),
)  # fmt: skip

"""What each unified model is made of, declared once: its API name, pydantic layers, promoted columns,
filters and how changes of related records move its ``updated_after`` position.

Storage tables, list endpoints and the sync engine's propagation are all derived from this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from atsbridge.model import ats
from atsbridge.model import projections as proj
from atsbridge.model.projections import Projection

ColumnType = Literal["str", "datetime"]
FilterKind = Literal["list", "enum_list", "str", "ci_str", "datetime_day", "contains"]


@dataclass(frozen=True)
class Promoted:
    """A field copied out of the JSON document into its own indexed column (for filters and joins)."""

    column: str
    source: str
    type: ColumnType = "str"
    lower: bool = False
    index: bool = True


@dataclass(frozen=True)
class Filter:
    """A query parameter of a list endpoint.

    ``target`` is a promoted column, or for ``via`` filters a column of another model's table that is
    matched through a foreign key (``via=(other_model, other_column, local_column)``).
    """

    param: str
    kind: FilterKind
    target: str
    values: tuple[str, ...] = ()
    via: tuple[str, str, str] | None = None
    side: str | None = None


@dataclass(frozen=True)
class Edge:
    """A change of ``source`` records that moves ``target`` records' ``updated_after`` position.

    ``up``: targets are found through the source's foreign key column ``fk`` (child -> parent).
    ``down``: targets are the ``target`` rows whose column ``fk`` names a changed source (linked parent).
    ``add_remove``: a source created, deleted or restored counts; ``change``: an edit of its own fields counts.
    """

    source: str
    target: str
    fk: str
    direction: Literal["up", "down"]
    add_remove: bool
    change: bool
    #: A source without a parent belongs to every target (a global pipeline's stage is every job's stage).
    null_means_all: bool = False


@dataclass(frozen=True)
class ModelSpec:
    name: str
    path: str
    fields: type[BaseModel]
    wire: type[BaseModel]
    nested: type[BaseModel] | None = None
    remote_id_required: bool = False
    promoted: tuple[Promoted, ...] = ()
    filters: tuple[Filter, ...] = ()
    #: Side tables holding multi-valued filter values: name -> function(fields) -> values.
    sides: dict[str, Callable[[dict[str, Any]], list[str]]] = field(default_factory=dict)
    #: The shape this record takes when embedded in another, stored pre-serialised at write time.
    embed: Projection | None = None

    @property
    def table(self) -> str:
        return f"ats_{self.name}"


def _emails(fields: dict[str, Any]) -> list[str]:
    return sorted({e["email_address"].lower() for e in fields.get("email_addresses") or [] if e.get("email_address")})


_CREATED = Promoted("remote_created_at", "remote_created_at", "datetime")

MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            "applications",
            "applications",
            ats.ApplicationFields,
            ats.Application,
            embed=proj.application,
            promoted=(
                Promoted("candidate_id", "candidate_id"),
                Promoted("job_id", "job_id"),
                Promoted("current_stage_id", "current_stage_id"),
                Promoted("outcome", "outcome", index=False),
                _CREATED,
            ),
            filters=(
                Filter("outcomes", "enum_list", "outcome", ("PENDING", "HIRED", "DECLINED")),
                Filter("job_ids", "list", "job_id"),
                Filter("job_remote_ids", "list", "job_id", via=("jobs", "remote_id", "id")),
                Filter("current_stage_ids", "list", "current_stage_id"),
                Filter("remote_created_after", "datetime_day", "remote_created_at"),
            ),
        ),
        ModelSpec(
            "candidates",
            "candidates",
            ats.CandidateFields,
            ats.Candidate,
            embed=proj.candidate,
            nested=ats.CandidateNested,
            remote_id_required=True,
            promoted=(
                Promoted("first_name_ci", "first_name", lower=True),
                Promoted("last_name_ci", "last_name", lower=True),
            ),
            filters=(
                Filter("email", "ci_str", "value", side="emails"),
                Filter("job_ids", "list", "id", via=("applications", "job_id", "candidate_id")),
                Filter("first_name", "ci_str", "first_name_ci"),
                Filter("last_name", "ci_str", "last_name_ci"),
            ),
            sides={"emails": _emails},
        ),
        ModelSpec("tags", "tags", ats.TagFields, ats.Tag, embed=proj.tag),
        ModelSpec(
            "application_stages",
            "application-stages",
            ats.StageFields,
            ats.ApplicationStage,
            embed=proj.stage,
            promoted=(Promoted("job_id", "job_id"),),
        ),
        ModelSpec(
            "jobs",
            "jobs",
            ats.JobFields,
            ats.Job,
            embed=proj.job,
            nested=ats.JobNested,
            remote_id_required=True,
            promoted=(
                Promoted("job_code", "job_code"),
                Promoted("post_url", "post_url"),
                Promoted("status", "status", index=False),
                Promoted("employment_type", "employment_type", index=False),
                Promoted("visibility", "visibility", index=False),
                Promoted("name_ci", "name", lower=True, index=False),
                _CREATED,
            ),
            filters=(
                Filter("job_codes", "list", "job_code"),
                Filter("post_url", "str", "post_url"),
                Filter("statuses", "enum_list", "status", ("OPEN", "CLOSED", "DRAFT", "ARCHIVED")),
                Filter(
                    "employment_types",
                    "enum_list",
                    "employment_type",
                    ("FULL_TIME", "PART_TIME", "CONTRACT", "SEASONAL", "INTERNSHIP"),
                ),
                Filter("visibilities", "enum_list", "visibility", ("PUBLIC", "INTERNAL", "UNLISTED", "CONFIDENTIAL")),
                Filter("remote_created_after", "datetime_day", "remote_created_at"),
                Filter("name_contains", "contains", "name_ci"),
            ),
        ),
        ModelSpec(
            "users",
            "users",
            ats.UserFields,
            ats.User,
            embed=proj.user,
            nested=ats.UserNested,
            promoted=(Promoted("email_ci", "email", lower=True),),
            filters=(Filter("emails", "list", "email_ci"),),
        ),
        ModelSpec(
            "roles",
            "roles",
            ats.RoleFields,
            ats.Role,
            promoted=(Promoted("scope", "scope", index=False),),
            filters=(Filter("scopes", "enum_list", "scope", ("SYSTEM", "JOB")),),
        ),
        ModelSpec(
            "offers",
            "offers",
            ats.OfferFields,
            ats.Offer,
            embed=proj.offer,
            promoted=(Promoted("application_id", "application_id"),),
        ),
        ModelSpec(
            "rejection_reasons",
            "rejection-reasons",
            ats.RejectionReasonFields,
            ats.RejectionReason,
            remote_id_required=True,
        ),
        ModelSpec(
            "interviews",
            "interviews",
            ats.InterviewFields,
            ats.Interview,
            embed=proj.interview,
            nested=ats.InterviewNested,
            promoted=(Promoted("application_id", "application_id"),),
            filters=(Filter("job_ids", "list", "application_id", via=("applications", "job_id", "id")),),
        ),
        ModelSpec(
            "notes",
            "notes",
            ats.NoteFields,
            ats.Note,
            remote_id_required=True,
            promoted=(
                Promoted("candidate_id", "candidate_id"),
                Promoted("application_id", "application_id"),
                Promoted("author_id", "author_id", index=False),
            ),
            filters=(
                Filter("candidate_ids", "list", "candidate_id"),
                Filter("application_ids", "list", "application_id"),
            ),
        ),
        ModelSpec(
            "scorecards",
            "scorecards",
            ats.ScorecardFields,
            ats.Scorecard,
            remote_id_required=True,
            promoted=(
                Promoted("candidate_id", "candidate_id"),
                Promoted("application_id", "application_id"),
                Promoted("author_id", "author_id", index=False),
            ),
            filters=(
                Filter("candidate_ids", "list", "candidate_id"),
                Filter("application_ids", "list", "application_id"),
            ),
        ),
        ModelSpec(
            "attachments",
            "attachments",
            ats.AttachmentFields,
            ats.Attachment,
            remote_id_required=True,
            promoted=(Promoted("candidate_id", "candidate_id"), Promoted("application_id", "application_id")),
            filters=(
                Filter("candidate_ids", "list", "candidate_id"),
                Filter("application_ids", "list", "application_id"),
            ),
        ),
    )
}

#: The contract's per-endpoint ``updated_after`` rules (§3), as data.
EDGES: tuple[Edge, ...] = (
    # applications: candidate linked ✓; interviews and offers added/removed ✓ and linked ✓; job ✗; stage ✗.
    Edge("candidates", "applications", "candidate_id", "down", add_remove=False, change=True),
    Edge("interviews", "applications", "application_id", "up", add_remove=True, change=True),
    Edge("offers", "applications", "application_id", "up", add_remove=True, change=True),
    # candidates: applications added/removed ✓ and linked ✓ (tags are nested data of the candidate).
    Edge("applications", "candidates", "candidate_id", "up", add_remove=True, change=True),
    # jobs: stages added/removed ✓, linked ✗ (questions, postings, hiring team are nested data of the job).
    Edge("application_stages", "jobs", "job_id", "up", add_remove=True, change=False, null_means_all=True),
    # offers and interviews: their application linked ✓.
    Edge("applications", "offers", "application_id", "down", add_remove=False, change=True),
    Edge("applications", "interviews", "application_id", "down", add_remove=False, change=True),
)

#: Parents before children, so a first sync never serves a child whose parent is still missing.
SYNC_ORDER: tuple[str, ...] = (
    "users",
    "roles",
    "tags",
    "rejection_reasons",
    "jobs",
    "application_stages",
    "candidates",
    "applications",
    "interviews",
    "offers",
    "notes",
    "scorecards",
    "attachments",
)


def by_path(path: str) -> ModelSpec:
    for spec in MODELS.values():
        if spec.path == path:
            return spec
    raise KeyError(path)


#: What a deleted record takes with it when the vendor's deletion feed names only the parent.
CASCADES: dict[str, tuple[tuple[str, str], ...]] = {
    "candidates": (
        ("applications", "candidate_id"),
        ("notes", "candidate_id"),
        ("scorecards", "candidate_id"),
        ("attachments", "candidate_id"),
    ),
    "applications": (
        ("interviews", "application_id"),
        ("offers", "application_id"),
        ("notes", "application_id"),
        ("scorecards", "application_id"),
        ("attachments", "application_id"),
    ),
}

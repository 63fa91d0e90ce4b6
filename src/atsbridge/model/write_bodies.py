"""Request bodies of the write endpoints, exactly as the contract (and the SDK) sends them.

Unknown keys are refused, so a client's typo is an error naming the field instead of silently lost data.
``remote_fields`` stay free-form: each tool's subtree is passed through to its connector.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from atsbridge.core.limits import MAX_FILE_BYTES  # a single upload, decoded (re-exported)

RemoteFields = dict[str, Any] | None


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TypedEmail(Body):
    type: Literal["PERSONAL", "WORK", "OTHER"]
    email_address: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class TypedPhone(Body):
    type: Literal["PERSONAL", "WORK", "OTHER"]
    phone_number: str = Field(min_length=1, max_length=64)


class CandidateLocation(Body):
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO-3166 alpha-2, uppercase")
    city: str | None = None
    state: str | None = None
    street_1: str | None = None
    zip_code: str | None = None


class SalaryExpectations(Body):
    period: Literal["MONTH", "YEAR"]
    amount: float = Field(ge=0)


class SocialLink(Body):
    url: str = Field(pattern=r"^https?://\S+$", max_length=2048)


class NewCandidate(Body):
    first_name: str = Field(min_length=1, max_length=200)
    last_name: str = Field(min_length=1, max_length=200)
    email_address: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    additional_email_addresses: list[TypedEmail] | None = None
    company: str | None = Field(default=None, max_length=300)
    title: str | None = Field(default=None, max_length=300)
    phone_number: str | None = Field(default=None, max_length=64)
    additional_phone_numbers: list[TypedPhone] | None = None
    location: CandidateLocation | None = None
    gender: Literal["MALE", "FEMALE", "OTHER"] | None = None
    availability_date: datetime | None = None
    salary_expectations: SalaryExpectations | None = None
    social_links: list[SocialLink] | None = None


class Upload(Body):
    """A file given inline (base64 ``data``) or by a URL to fetch (``data_url``): exactly one of them."""

    name: str = Field(min_length=1, max_length=255)
    type: Literal["CV", "COVER_LETTER", "OTHER"]
    content_type: str | None = Field(default=None, max_length=200)
    data_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    data: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Upload:
        if (self.data is None) == (self.data_url is None):
            raise ValueError("give exactly one of data (base64) or data_url")
        if self.data is not None and not self.content_type:
            raise ValueError("content_type is required with data")
        if self.data is not None and len(self.data) > MAX_FILE_BYTES * 4 // 3 + 4:
            raise ValueError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return self


class FileAnswer(Body):
    name: str
    content_type: str | None = None
    data_url: str | None = None
    data: str | None = None


class Answer(Body):
    question_id: str
    answer: FileAnswer | bool | float | list[str] | str | datetime


class Source(Body):
    name: str | None = None
    unified_key: str | None = None
    id: str | None = None


class SourcedBy(Body):
    user_id: str


class GdprConsent(Body):
    expires_at: datetime | None = None
    given: bool | None = None


class CreateApplication(Body):
    """``POST /ats/jobs/{job_id}/applications``."""

    candidate: NewCandidate
    stage_id: str | None = None
    attachments: Annotated[list[Upload], Field(max_length=20)] | None = None
    source: Source | None = None
    sourced_by: SourcedBy | None = None
    gdpr_consent: GdprConsent | None = None
    remote_fields: RemoteFields = None
    screening_question_answers: Annotated[list[Answer], Field(max_length=200)] | None = None


class ApplicationRef(Body):
    job_id: str
    stage_id: str | None = None


class CreateCandidate(Body):
    """``POST /ats/candidates`` (the deprecated form: candidate plus exactly one application)."""

    candidate: NewCandidate
    application: ApplicationRef
    screening_question_answers: Annotated[list[Answer], Field(max_length=200)] | None = None
    attachments: Annotated[list[Upload], Field(max_length=20)] | None = None
    source: Source | None = None
    sourced_by: SourcedBy | None = None
    gdpr_consent: GdprConsent | None = None
    remote_fields: RemoteFields = None


class MoveStage(Body):
    stage_id: str
    remote_fields: RemoteFields = None


class Reject(Body):
    rejection_reason_id: str
    note: str | None = Field(default=None, max_length=10_000)
    remote_fields: RemoteFields = None


class Note(Body):
    content: str = Field(min_length=1, max_length=100_000)
    content_type: Literal["PLAIN_TEXT"]
    remote_fields: RemoteFields = None


class AttachmentBody(Body):
    attachment: Upload
    remote_fields: RemoteFields = None


class Attribute(Body):
    key: str
    value: str


class ResultDetails(Body):
    custom_field_name_prefix: str
    attributes: list[Attribute]


class ResultLink(Body):
    label: str = Field(min_length=1, max_length=500)
    url: str = Field(pattern=r"^https?://\S+$", max_length=4096)
    details: ResultDetails | None = None
    remote_fields: RemoteFields = None


class TagName(Body):
    name: str = Field(min_length=1, max_length=200)


class TagBody(Body):
    tag: TagName
    remote_fields: RemoteFields = None


class _Id(Body):
    id_type: str | None = None


class GreenhouseId(_Id):
    application_id: str


class RecruiteeId(_Id):
    placement_id: str


class SuccessFactorsId(_Id):
    application_remote_id: str


class SmartRecruitersId(_Id):
    candidate_remote_id: str
    job_remote_id: str


class ERecruiterId(_Id):
    application_remote_id: str
    job_remote_id: str | None = None
    candidate_remote_id: str | None = None


class ImportTracked(Body):
    """``POST /ats/import-tracked-application``: the per-tool identifier of an existing application."""

    tracked_at: datetime | None
    erecruiter: ERecruiterId | None = None
    successfactors: SuccessFactorsId | None = None
    recruitee: RecruiteeId | None = None
    greenhouse: GreenhouseId | None = None
    greenhousev3: GreenhouseId | None = None
    onlyfy: GreenhouseId | None = None
    smartrecruiters: SmartRecruitersId | None = None
    #: atsbridge extension for tools the contract has no key for: the application's remote id.
    application_remote_id: str | None = None

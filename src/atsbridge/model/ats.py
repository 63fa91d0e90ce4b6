"""The unified ATS model: the single source of truth for stored records, responses and OpenAPI.

Each model has two layers:

* ``<Model>Fields`` — the record's *own* fields. Mappers produce exactly these; they are validated,
  hashed for change detection and stored. ``changed_at`` moves only when they change.
* ``<Model>`` — the wire shape: own fields plus bookkeeping (``id``, ``remote_id``, ``changed_at``,
  ``remote_deleted_at``) and the embedded related records the API splices in at read time.

Required keys, nullability and closed enums follow the Kombo contract (§6); the SDK rejects anything else.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from atsbridge.model.common import (
    AttachmentType,
    CustomFields,
    EmailAddress,
    HiringTeamRole,
    Location,
    OfferStatus,
    Outcome,
    PhoneNumber,
    RoleAssignment,
    RoleType,
    SocialMedia,
    StageStatus,
    Strict,
    Timestamp,
    UserRef,
)


class Record(BaseModel):
    id: str
    changed_at: Timestamp
    remote_deleted_at: Timestamp | None


# --------------------------------------------------------------------------------------------------- tags
class TagFields(Strict):
    name: str | None = None


class Tag(TagFields, Record):
    remote_id: str | None


class TagRef(Strict):
    id: str
    remote_id: str | None
    name: str | None


# ------------------------------------------------------------------------------------- rejection reasons
class RejectionReasonFields(Strict):
    name: str | None = None


class RejectionReason(RejectionReasonFields, Record):
    remote_id: str


# ------------------------------------------------------------------------------------------------- roles
class RoleFields(Strict):
    remote_label: str | None = None
    scope: Literal["SYSTEM", "JOB"] | None = None
    unified_type: RoleType | None = None


class Role(RoleFields, Record):
    remote_id: str | None


# ------------------------------------------------------------------------------------------------- users
class UserFields(Strict):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    status: StageStatus | None = None


class SystemRole(RoleAssignment):
    scope: Literal["SYSTEM"] = "SYSTEM"


class UserNested(Strict):
    """System role assignments: added, removed or changed, they move the user's ``updated_after``."""

    system_roles: list[SystemRole] = []


class User(UserFields, Record):
    remote_id: str | None
    system_roles: list[SystemRole]


# -------------------------------------------------------------------------------------- application stages
class StageFields(Strict):
    name: str | None = None
    status: StageStatus | None = None
    custom_fields: CustomFields = None
    index: int | None = None
    #: The job whose pipeline this stage belongs to (None for tools with one global pipeline).
    job_id: str | None = None


class ApplicationStage(Record):
    remote_id: str | None
    name: str | None
    status: StageStatus | None
    custom_fields: CustomFields


class JobStage(BaseModel):
    id: str
    remote_id: str | None
    name: str | None
    status: StageStatus | None
    custom_fields: CustomFields
    index: int | None = None


# -------------------------------------------------------------------------------------------------- jobs
class FormatText(Strict):
    type: Literal["TEXT"] = "TEXT"
    display_type: Literal["SINGLE_LINE", "MULTI_LINE", "EMAIL", "URL"] | None = None
    max_length: int | None = None


class FormatNumber(Strict):
    type: Literal["NUMBER"] = "NUMBER"
    display_type: Literal["SLIDER", "FIELD"] | None = None
    min: float | None = None
    max: float | None = None


class FormatFile(Strict):
    type: Literal["FILE"] = "FILE"
    accepted_mime_types: list[str] | None = None
    max_file_size_bytes: int | None = None


class QuestionOption(Strict):
    id: str
    name: str
    remote_id: str | None = None


class FormatSingleSelect(Strict):
    type: Literal["SINGLE_SELECT"] = "SINGLE_SELECT"
    options: list[QuestionOption]
    display_type: Literal["DROPDOWN", "RADIO"] | None = None


class FormatMultiSelect(Strict):
    type: Literal["MULTI_SELECT"] = "MULTI_SELECT"
    options: list[QuestionOption]


class FormatBoolean(Strict):
    type: Literal["BOOLEAN"] = "BOOLEAN"


class FormatDate(Strict):
    type: Literal["DATE"] = "DATE"


class FormatInformation(Strict):
    type: Literal["INFORMATION"] = "INFORMATION"


class FormatUnknown(Strict):
    type: Literal["UNKNOWN"] = "UNKNOWN"
    raw_question: Any | None = None


QuestionFormat = Annotated[
    FormatText
    | FormatNumber
    | FormatFile
    | FormatSingleSelect
    | FormatMultiSelect
    | FormatBoolean
    | FormatDate
    | FormatInformation
    | FormatUnknown,
    Field(discriminator="type"),
]


class ScreeningQuestion(Strict):
    id: str
    remote_id: str | None
    title: str | None
    description: str | None = None
    category: Literal["EEO", "DEMOGRAPHIC"] | None = None
    required: bool | None = None
    format: QuestionFormat | None = None
    index: int | None = None
    precondition_question_id: str | None = None
    precondition_options: list[str] | list[bool] | None = None


class JobPosting(Strict):
    id: str
    remote_id: str | None
    title: str | None = None
    description_html: str | None = None
    status: Literal["ACTIVE", "INACTIVE", "DRAFT"] | None = None
    visibility: Literal["PUBLIC", "INTERNAL", "UNLISTED"] | None = None
    url: str | None = None


class JobRole(RoleAssignment):
    scope: Literal["JOB"] = "JOB"


class HiringTeamAssignment(Strict):
    """Stored on the job: which user, in which roles. The user's own fields are joined at read time."""

    user_id: str
    hiring_team_roles: list[HiringTeamRole] = []
    job_roles: list[JobRole] = []


class HiringTeamMember(BaseModel):
    id: str
    remote_id: str | None
    first_name: str | None
    last_name: str | None
    email: str | None = None
    hiring_team_roles: list[HiringTeamRole]
    job_roles: list[JobRole]


class JobFields(Strict):
    name: str | None = None
    job_code: str | None = None
    description: str | None = None
    confidential: bool | None = None
    weekly_hours: float | None = None
    category: str | None = None
    department: str | None = None
    post_url: str | None = None
    experience_level: str | None = None
    salary_amount: float | None = None
    salary_amount_from: float | None = None
    salary_amount_to: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    custom_fields: CustomFields = None
    remote_url: str | None = None
    opened_at: Timestamp | None = None
    closed_at: Timestamp | None = None
    remote_created_at: Timestamp | None = None
    remote_updated_at: Timestamp | None = None
    contact_id: str | None = None
    employment_type: str | None = None
    status: str | None = None
    visibility: str | None = None
    remote_work_status: str | None = None
    location: Location | None = None


class JobNested(Strict):
    """Nested data of a job that is not its own: it moves ``updated_after``, never ``changed_at``."""

    screening_questions: list[ScreeningQuestion] = []
    job_postings: list[JobPosting] = []
    hiring_team: list[HiringTeamAssignment] = []


class Job(JobFields, Record):
    remote_id: str
    stages: list[JobStage]
    screening_questions: list[ScreeningQuestion]
    job_postings: list[JobPosting]
    hiring_team: list[HiringTeamMember]


class JobRef(BaseModel):
    id: str
    remote_id: str
    name: str | None


# -------------------------------------------------------------------------------------------- candidates
class CandidateFields(Strict):
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    title: str | None = None
    confidential: bool | None = None
    source: str | None = None
    custom_fields: CustomFields = None
    remote_url: str | None = None
    remote_created_at: Timestamp | None = None
    remote_updated_at: Timestamp | None = None
    phone_numbers: list[PhoneNumber] | None = None
    email_addresses: list[EmailAddress] | None = None
    social_media: list[SocialMedia] | None = None
    location: Location | None = None


class CandidateNested(Strict):
    tag_ids: list[str] = []


class StageRef(BaseModel):
    id: str
    name: str | None
    remote_id: str | None
    index: int | None


class CandidateApplication(BaseModel):
    id: str
    remote_id: str | None
    outcome: Outcome | None
    rejection_reason_name: str | None
    rejected_at: Timestamp | None
    remote_url: str | None
    changed_at: Timestamp
    remote_created_at: Timestamp | None
    remote_updated_at: Timestamp | None
    current_stage: StageRef | None
    job: JobRef | None


class Candidate(CandidateFields, Record):
    remote_id: str
    applications: list[CandidateApplication]
    tags: list[TagRef]


# ------------------------------------------------------------------------------------------ applications
class AnswerQuestion(Strict):
    remote_id: str | None
    title: str


class _TextQ(AnswerQuestion):
    type: Literal["TEXT"] = "TEXT"


class _SingleQ(AnswerQuestion):
    type: Literal["SINGLE_SELECT"] = "SINGLE_SELECT"


class _MultiQ(AnswerQuestion):
    type: Literal["MULTI_SELECT"] = "MULTI_SELECT"


class _BoolQ(AnswerQuestion):
    type: Literal["BOOLEAN"] = "BOOLEAN"


class _NumberQ(AnswerQuestion):
    type: Literal["NUMBER"] = "NUMBER"


class _DateQ(AnswerQuestion):
    type: Literal["DATE"] = "DATE"


class _UnknownQ(AnswerQuestion):
    type: Literal["UNKNOWN"] = "UNKNOWN"


class _TextA(Strict):
    content: str | None


class _SingleA(Strict):
    choice: str | None


class _MultiA(Strict):
    choices: list[str] | None = None


class _BoolA(Strict):
    checked: bool | None


class _NumberA(Strict):
    number: float | None


class _DateA(Strict):
    date: Timestamp | None


class _UnknownA(Strict):
    raw: Any | None = None


class TextAnswer(Strict):
    question: _TextQ
    answer: _TextA


class SingleSelectAnswer(Strict):
    question: _SingleQ
    answer: _SingleA


class MultiSelectAnswer(Strict):
    question: _MultiQ
    answer: _MultiA


class BooleanAnswer(Strict):
    question: _BoolQ
    answer: _BoolA


class NumberAnswer(Strict):
    question: _NumberQ
    answer: _NumberA


class DateAnswer(Strict):
    question: _DateQ
    answer: _DateA


class UnknownAnswer(Strict):
    question: _UnknownQ
    answer: _UnknownA


ScreeningAnswer = (
    TextAnswer | SingleSelectAnswer | MultiSelectAnswer | BooleanAnswer | NumberAnswer | DateAnswer | UnknownAnswer
)


class ApplicationFields(Strict):
    outcome: Outcome | None = None
    rejection_reason_name: str | None = None
    rejected_at: Timestamp | None = None
    current_stage_id: str | None = None
    job_id: str | None = None
    candidate_id: str | None = None
    custom_fields: CustomFields = None
    remote_url: str | None = None
    remote_created_at: Timestamp | None = None
    remote_updated_at: Timestamp | None = None
    screening_question_answers: list[ScreeningAnswer] | None = None


class ApplicationCandidate(BaseModel):
    id: str
    remote_id: str
    first_name: str | None
    last_name: str | None
    source: str | None
    remote_url: str | None
    tags: list[TagRef]
    email_addresses: list[EmailAddress] | None = None
    phone_numbers: list[PhoneNumber] | None = None
    social_media: list[SocialMedia] | None = None


class ApplicationStageRef(BaseModel):
    id: str
    remote_id: str | None
    name: str | None
    status: StageStatus | None
    custom_fields: CustomFields
    index: int | None


class ApplicationInterview(BaseModel):
    id: str
    remote_id: str | None
    title: str | None
    starting_at: Timestamp | None
    ending_at: Timestamp | None
    canceled: bool | None
    location: Location | None = None


class ApplicationOffer(BaseModel):
    id: str
    remote_id: str | None
    status: OfferStatus | None


class Application(ApplicationFields, Record):
    remote_id: str | None
    candidate: ApplicationCandidate | None
    current_stage: ApplicationStageRef | None
    job: JobRef | None
    interviews: list[ApplicationInterview]
    offers: list[ApplicationOffer]


# ------------------------------------------------------------------------------------------------ offers
class OfferFields(Strict):
    status: OfferStatus | None = None
    employment_start_date: Timestamp | None = None
    application_id: str | None = None
    custom_fields: CustomFields = None
    remote_created_at: Timestamp | None = None
    remote_updated_at: Timestamp | None = None


class ShortCandidate(BaseModel):
    id: str
    remote_id: str
    first_name: str | None
    last_name: str | None
    email_addresses: list[EmailAddress] | None = None


class OfferApplication(BaseModel):
    candidate: ShortCandidate | None
    job: JobRef | None


class Offer(OfferFields, Record):
    remote_id: str | None
    application: OfferApplication | None


# -------------------------------------------------------------------------------------------- interviews
class InterviewFields(Strict):
    title: str | None = None
    starting_at: Timestamp | None = None
    ending_at: Timestamp | None = None
    video_conferencing_url: str | None = None
    application_id: str | None = None
    stage_id: str | None = None
    canceled: bool | None = None
    remote_created_at: Timestamp | None = None
    remote_updated_at: Timestamp | None = None
    location: Location | None = None


class InterviewNested(Strict):
    user_ids: list[str] = []


class InterviewApplication(BaseModel):
    id: str
    remote_id: str | None
    outcome: Outcome | None
    rejection_reason_name: str | None
    candidate: ShortCandidate | None
    job: JobRef | None


class Interview(InterviewFields, Record):
    remote_id: str | None
    users: list[UserRef]
    application: InterviewApplication | None


# ------------------------------------------------------------------------------------------------- notes
class NoteFields(Strict):
    candidate_id: str
    application_id: str | None = None
    author_id: str | None = None
    title: str | None = None
    content_html: str | None = None
    is_private: bool | None = None
    remote_created_at: Timestamp | None = None
    remote_updated_at: Timestamp | None = None


class Note(NoteFields, Record):
    remote_id: str
    author: UserRef | None


# -------------------------------------------------------------------------------------------- scorecards
class _Result(Strict):
    remote_id: str | None
    label: str
    description: str | None = None
    required: bool | None = None


class ResultOption(Strict):
    remote_id: str | None
    label: str


class ResultText(_Result):
    type: Literal["TEXT"] = "TEXT"
    answer: str | None


class ResultSingleSelect(_Result):
    type: Literal["SINGLE_SELECT"] = "SINGLE_SELECT"
    options: list[ResultOption]
    answer: ResultOption | None


class ResultMultiSelect(_Result):
    type: Literal["MULTI_SELECT"] = "MULTI_SELECT"
    options: list[ResultOption]
    answer: list[ResultOption] | None


class ResultBoolean(_Result):
    type: Literal["BOOLEAN"] = "BOOLEAN"
    answer: bool | None


class ResultNumber(_Result):
    type: Literal["NUMBER"] = "NUMBER"
    answer: float | None


class ResultDate(_Result):
    type: Literal["DATE"] = "DATE"
    answer: str | None


ScorecardResponse = Annotated[
    ResultText | ResultSingleSelect | ResultMultiSelect | ResultBoolean | ResultNumber | ResultDate,
    Field(discriminator="type"),
]


class ScorecardFields(Strict):
    candidate_id: str | None = None
    application_id: str | None = None
    interview_id: str | None = None
    author_id: str | None = None
    remote_created_at: Timestamp | None = None
    remote_updated_at: Timestamp | None = None
    responses: list[ScorecardResponse] | None = None


class Scorecard(ScorecardFields, Record):
    remote_id: str
    author: UserRef | None


# ------------------------------------------------------------------------------------------- attachments
class ContentRef(BaseModel):
    type: Literal["s3"] = "s3"
    bucket: str
    key: str


class AttachmentFields(Strict):
    candidate_id: str
    application_id: str | None = None
    type: AttachmentType | None = None
    file_name: str | None = None
    content_type: str | None = None
    remote_created_at: Timestamp | None = None
    remote_updated_at: Timestamp | None = None


class Attachment(AttachmentFields, Record):
    remote_id: str
    content_ref: ContentRef | None = None


class LiveAttachment(BaseModel):
    """An item of the per-application / per-candidate attachment lists, with a download link."""

    id: str
    remote_id: str
    application_id: str | None
    candidate_id: str
    type: AttachmentType
    data_url: str
    file_name: str
    content_type: str
    remote_created_at: Timestamp | None
    remote_updated_at: Timestamp | None

"""Building blocks shared by the unified models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer

from atsbridge.core.timeutil import format_ts, to_utc, truncate_ms


def _normalise(value: datetime) -> datetime:
    if value.tzinfo is UTC and not value.microsecond % 1000:  # already normal: most mapper output
        return value
    return truncate_ms(to_utc(value))


#: A UTC timestamp, serialised exactly as the contract shows: ``2022-08-07T14:01:29.196Z``.
Timestamp = Annotated[datetime, AfterValidator(_normalise), PlainSerializer(format_ts, when_used="json")]

Outcome = Literal["PENDING", "HIRED", "DECLINED"]
StageStatus = Literal["ACTIVE", "INACTIVE"]
OfferStatus = Literal["ACCEPTED", "DECLINED", "SENT", "APPROVED", "DRAFT", "ABANDONED"]
AttachmentType = Literal["CV", "COVER_LETTER", "OTHER"]
RoleType = Literal["HIRING_MANAGER", "RECRUITER", "COORDINATOR", "SOURCER", "INTERVIEWER", "ADMIN"]
HiringTeamRole = Literal["HIRING_MANAGER", "RECRUITER", "COORDINATOR", "SOURCER", "INTERVIEWER"]
CustomFields = dict[str, Any] | None


class Strict(BaseModel):
    """Unified records refuse unknown keys: a mapper typo must fail loudly, not vanish."""

    model_config = ConfigDict(extra="forbid")


class Location(Strict):
    city: str | None = None
    country: str | None = None
    raw: str | None = None
    state: str | None = None
    street_1: str | None = None
    street_2: str | None = None
    zip_code: str | None = None


class EmailAddress(Strict):
    type: str | None = None
    email_address: str | None = None


class PhoneNumber(Strict):
    phone_number: str
    type: str | None = None


class SocialMedia(Strict):
    link: str | None = None
    type: str | None = None
    username: str | None = None


class RoleAssignment(Strict):
    remote_id: str | None = None
    remote_label: str | None = None
    unified_type: RoleType | None = None


class UserRef(Strict):
    """An expanded user (note/scorecard author, interviewer)."""

    id: str
    remote_id: str | None
    first_name: str | None
    last_name: str | None
    email: str | None = None


class Warning_(BaseModel):
    message: str

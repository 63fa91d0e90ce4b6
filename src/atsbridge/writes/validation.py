"""Checks a write must pass before any vendor is called: stages of the job, screening answers per format,
files that decode (or download: see :mod:`atsbridge.core.fetch`), the job still open. Every error names the
offending field path."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any

from atsbridge.connectors.actions import FileData, ResolvedAnswer
from atsbridge.core.errors import ApiError, input_invalid
from atsbridge.core.fetch import FetchPolicy, fetch_file
from atsbridge.core.limits import MAX_FILE_BYTES
from atsbridge.model.write_bodies import Answer, FileAnswer, Upload

Json = dict[str, Any]
CLOSED_STATUSES = frozenset({"CLOSED", "ARCHIVED"})


def check_job_open(job: Json) -> None:
    if (job.get("status") or "").upper() in CLOSED_STATUSES:
        raise ApiError(
            "ATS.JOB_CLOSED", f"job {job['id']} ({job.get('name')!r}) is {job['status']}: it takes no applications"
        )


def pick_stage(job: Json, stage_id: str | None, field: str) -> Json | None:
    """The target stage: ``stage_id`` if it is one of the job's stages, else the job's first stage."""
    stages = job.get("stages") or []
    if stage_id is None:
        return stages[0] if stages else None
    for stage in stages:
        if stage["id"] == stage_id or (stage_id.startswith("remote:") and stage.get("remote_id") == stage_id[7:]):
            return dict(stage)
    valid = ", ".join(f"{s['id']} ({s.get('name')})" for s in stages) or "none"
    raise input_invalid(f"{field}: stage {stage_id!r} is not a stage of job {job['id']}; its stages are: {valid}")


async def decode_file(
    name: str,
    kind: str,
    content_type: str | None,
    data: str | None,
    data_url: str | None,
    field: str,
    fetch: FetchPolicy,
) -> FileData:
    if data is not None:
        try:
            content = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise input_invalid(f"{field}.data: not valid base64") from None
        if len(content) > MAX_FILE_BYTES:
            raise input_invalid(f"{field}.data: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        if not content:
            raise input_invalid(f"{field}.data: the file is empty")
    else:
        assert data_url is not None
        content, fetched_type = await fetch_file(data_url, f"{field}.data_url", fetch)
        content_type = content_type or fetched_type
    return FileData(name, kind, content_type or "application/octet-stream", content)


async def decode_uploads(uploads: list[Upload] | None, field: str, fetch: FetchPolicy) -> list[FileData]:
    """Decode or download each upload, one after the other (downloads are async: the server keeps serving)."""
    return [
        await decode_file(u.name, u.type, u.content_type, u.data, u.data_url, f"{field}[{i}]", fetch)
        for i, u in enumerate(uploads or [])
    ]


def _option(options: list[Json], value: str, field: str, question: Json) -> Json:
    for option in options:
        if option["id"] == value or (option.get("remote_id") is not None and option.get("remote_id") == value):
            return option
    names = ", ".join(f"{o['id']} ({o['name']})" for o in options)
    raise input_invalid(f"{field}: {value!r} is not an option of question {question['id']!r}; options: {names}")


async def resolve_answers(
    job: Json, answers: list[Answer] | None, fetch: FetchPolicy
) -> tuple[list[ResolvedAnswer], list[str]]:
    """Check each answer against its question's format. Unknown questions and unanswerable formats are
    skipped with a warning; a wrong answer, or a required question left out, is an error."""
    questions = {q["id"]: q for q in job.get("screening_questions") or []}
    resolved: list[ResolvedAnswer] = []
    warnings: list[str] = []
    answered: set[str] = set()
    for i, answer in enumerate(answers or []):
        field = f"screening_question_answers[{i}].answer"
        question = questions.get(answer.question_id)
        if question is None:
            warnings.append(f"screening question {answer.question_id!r} is not a question of job {job['id']}; skipped")
            continue
        answered.add(question["id"])
        kind = ((question.get("format") or {}).get("type")) or "UNKNOWN"
        value = answer.answer
        if kind in ("INFORMATION", "UNKNOWN"):
            warnings.append(f"screening question {question['id']!r} ({kind}) takes no answer; skipped")
            continue
        resolved.append(ResolvedAnswer(question, kind, await _check(kind, question, value, field, fetch)))
    for question in questions.values():
        fmt = ((question.get("format") or {}).get("type")) or "UNKNOWN"
        if question.get("required") and question["id"] not in answered and fmt not in ("INFORMATION", "UNKNOWN"):
            if question.get("precondition_question_id"):
                continue  # conditional questions may legitimately stay unanswered
            raise input_invalid(
                f"screening_question_answers: required question {question['id']!r} ({question.get('title')!r}) "
                "is not answered"
            )
    return resolved, warnings


async def _check(kind: str, question: Json, value: Any, field: str, fetch: FetchPolicy) -> Any:
    fmt = question.get("format") or {}
    if kind == "TEXT":
        if not isinstance(value, str):
            raise input_invalid(f"{field}: question {question['id']!r} is TEXT: send a string")
        if fmt.get("max_length") and len(value) > fmt["max_length"]:
            raise input_invalid(f"{field}: longer than {fmt['max_length']} characters")
        return value
    if kind == "BOOLEAN":
        if not isinstance(value, bool):
            raise input_invalid(f"{field}: question {question['id']!r} is BOOLEAN: send true or false")
        return value
    if kind == "NUMBER":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise input_invalid(f"{field}: question {question['id']!r} is NUMBER: send a number")
        if fmt.get("min") is not None and value < fmt["min"] or fmt.get("max") is not None and value > fmt["max"]:
            raise input_invalid(f"{field}: {value} is outside [{fmt.get('min')}, {fmt.get('max')}]")
        return float(value)
    if kind == "DATE":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, str):
            try:
                return date.fromisoformat(value[:10]).isoformat()
            except ValueError:
                pass
        raise input_invalid(f"{field}: question {question['id']!r} is DATE: send an ISO date such as 2024-05-01")
    if kind == "SINGLE_SELECT":
        if not isinstance(value, str):
            raise input_invalid(f"{field}: question {question['id']!r} is SINGLE_SELECT: send one option id")
        return [_option(fmt.get("options") or [], value, field, question)]
    if kind == "MULTI_SELECT":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise input_invalid(f"{field}: question {question['id']!r} is MULTI_SELECT: send a list of option ids")
        return [_option(fmt.get("options") or [], v, field, question) for v in value]
    if kind == "FILE":
        if not isinstance(value, FileAnswer):
            raise input_invalid(f"{field}: question {question['id']!r} is FILE: send {{name, data | data_url}}")
        if (value.data is None) == (value.data_url is None):
            raise input_invalid(f"{field}: give exactly one of data (base64) or data_url")
        return await decode_file(value.name, "OTHER", value.content_type, value.data, value.data_url, field, fetch)
    raise input_invalid(f"{field}: question format {kind} cannot be answered")

"""``kit.as_submitted``: the unified candidate and application of a create a vendor cannot return, from the
request alone (stage unknown, outcome PENDING, on the call's job), and ``write_through`` stores them."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall
from atsbridge.core.ids import record_id
from atsbridge.model import write_bodies as bodies


def _call(**candidate: object) -> WriteCall[bodies.CreateApplication]:
    body = bodies.CreateApplication.model_validate(
        {"candidate": {"first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@x.example", **candidate},
         "source": {"name": "Careers page"}}
    )  # fmt: skip
    return WriteCall("create_application", "int-1", body, job_remote_id="J-7")


def test_the_records_say_what_was_submitted_on_the_calls_job() -> None:
    call = _call(phone_number="+49 30 1", additional_email_addresses=[{"type": "WORK", "email_address": "a@w.example"}],
                 location={"country": "DE", "city": "Köln"})  # fmt: skip
    cand, app = kit.as_submitted(call, application_remote_id="A-1", candidate_remote_id="ada@x.example")
    assert (cand.model, cand.remote_id, app.model, app.remote_id) == (
        "candidates",
        "ada@x.example",
        "applications",
        "A-1",
    )
    assert cand.id == record_id("int-1", "candidates", "ada@x.example")
    f = cand.fields
    assert (f["first_name"], f["last_name"], f["source"]) == ("Ada", "Lovelace", "Careers page")
    assert [e["email_address"] for e in f["email_addresses"]] == ["ada@x.example", "a@w.example"]
    assert f["phone_numbers"] == [{"phone_number": "+49 30 1", "type": None}] and f["location"]["city"] == "Köln"
    a = app.fields
    assert a["job_id"] == record_id("int-1", "jobs", "J-7") and a["candidate_id"] == cand.id
    assert a["current_stage_id"] is None and a["outcome"] == "PENDING" and a["remote_created_at"] is not None


def test_no_phone_means_none_and_a_stored_job_names_the_job() -> None:
    call = _call()
    call.job_remote_id, call.job = None, {"remote_id": "J-9"}
    cand, app = kit.as_submitted(call, application_remote_id=5, candidate_remote_id=6)
    assert cand.fields["phone_numbers"] is None and cand.remote_id == "6" and app.remote_id == "5"
    assert app.fields["job_id"] == record_id("int-1", "jobs", "J-9")

"""``atsbridge.fakes.kit.forms``: multipart bodies as sent by httpx, read back field by field."""

from __future__ import annotations

import httpx

from atsbridge.fakes.kit import form_parts


def test_files_and_values_are_read_back() -> None:
    request = httpx.Request("POST", "http://x/", files={"file": ("cv.pdf", b"%PDF-1", "application/pdf")},
                            data={"type": "resume"})  # fmt: skip
    parts = form_parts(request.headers["content-type"], request.read())
    assert parts["file"].filename == "cv.pdf" and parts["file"].content == b"%PDF-1"
    assert parts["file"].content_type == "application/pdf"
    assert parts["type"].filename is None and parts["type"].text == "resume"


def test_a_body_that_is_not_multipart_has_no_parts() -> None:
    assert form_parts("application/json", b'{"a": 1}') == {}
    assert form_parts("multipart/form-data; boundary=x", b"garbage") == {}

"""Reading ``application/x-www-form-urlencoded`` bodies without an extra multipart dependency."""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request

#: Forms here are small (credentials, settings); anything bigger is refused rather than buffered.
MAX_FORM_BYTES = 64 * 1024


async def read_form(request: Request) -> dict[str, str]:
    """The submitted fields (last value wins); empty for a body that is too big or not a form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return {}
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {key: values[-1] for key, values in parsed.items()}

"""Size limits shared by the layers that accept files: the writes, passthrough and the HTTP edge.

They live here (the lowest layer) so the request-body cap at the edge is derived from the largest file a
write accepts instead of being a second, drifting constant.
"""

from __future__ import annotations

#: A single file (decoded base64, or downloaded from a ``data_url``) may be at most this large.
MAX_FILE_BYTES = 25 * 1024 * 1024

#: Base64 text of the largest file: 4 characters per 3 bytes, padded.
MAX_FILE_BASE64_CHARS = (MAX_FILE_BYTES + 2) // 3 * 4

#: Room for the JSON around one largest file (names, candidate, answers, remote_fields).
BODY_HEADROOM_BYTES = 2 * 1024 * 1024

#: Default cap on an API request body: one largest legitimate attachment, base64-encoded, plus headroom.
DEFAULT_MAX_BODY_BYTES = MAX_FILE_BASE64_CHARS + BODY_HEADROOM_BYTES


def mib(size: int) -> str:
    """A size for messages: ``25 MiB`` or ``35.3 MiB``."""
    value = size / (1024 * 1024)
    return f"{value:.0f} MiB" if value == int(value) else f"{value:.1f} MiB"

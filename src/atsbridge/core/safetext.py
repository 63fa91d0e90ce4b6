"""Which characters untrusted text may hold, and constant-time comparison of untrusted tokens.

Refused wherever a client's text enters (path parameters, query parameters, JSON bodies, forms):

- NUL (U+0000), always: PostgreSQL ``text`` cannot store it (psycopg raises ``DataError``, which used to
  surface as a 500), C libraries end strings at it, and no ATS field, id or name legitimately holds one.
- The other C0 controls (U+0001-U+001F) except TAB, LF and CR: they have no meaning in a name, an email or
  a note, vendors' XML and HTML reject them, and in logs they forge lines or drive terminals.
- Lone surrogates (U+D800-U+DFFF, reachable through JSON ``\\ud800`` escapes): they cannot be encoded as
  UTF-8, so neither the database nor an ATS can take them.

Identifiers and query values are single-line, so TAB, LF and CR are refused there too (``single_line``);
free text in bodies keeps them (multi-line notes, descriptions). DEL and the C1 range are valid Unicode that
every store accepts; they pass.
"""

from __future__ import annotations

import hmac
import re
from typing import Any

_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_SINGLE_LINE = re.compile(r"[\x00-\x1f\ud800-\udfff]")
#: JSON bodies are walked without recursion; anything nested deeper than this is refused, not walked.
MAX_DEPTH = 64


def bad_char(text: str, *, single_line: bool = False) -> str | None:
    """The first refused character of ``text``, or None when it is acceptable."""
    found = (_SINGLE_LINE if single_line else _FREE_TEXT).search(text)
    return found.group() if found else None


def describe(char: str) -> str:
    """How an error message names a refused character (never the character itself: it may be unprintable)."""
    kind = "a lone surrogate" if 0xD800 <= ord(char) <= 0xDFFF else "a control character"
    return f"U+{ord(char):04X} ({kind})"


def _pointer_part(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def find_in_json(value: Any) -> tuple[str, str] | None:
    """The JSON pointer (RFC 6901) and the refused character of the first bad string (keys included).

    Objects nested beyond MAX_DEPTH are reported at the pointer where the limit was hit, with ``""``.
    """
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack:
        pointer, item, depth = stack.pop()
        if isinstance(item, str):
            char = bad_char(item)
            if char is not None:
                return pointer, char
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                return pointer, ""
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            children = []
            for key, child in pairs:
                part = _pointer_part(str(key))
                if isinstance(key, str):
                    char = bad_char(key, single_line=True)
                    if char is not None:  # name the object, not the unprintable key
                        return f"{pointer or '/'} (a key of this object)", char
                children.append((f"{pointer}/{part}", child, depth + 1))
            stack.extend(reversed(children))
    return None


def same_token(given: str, expected: str) -> bool:
    """Constant-time equality that never raises: ``hmac.compare_digest`` refuses non-ASCII ``str``
    (TypeError), so anything that is not ASCII is simply unequal to the ASCII tokens we issue."""
    if not given.isascii() or not expected.isascii():
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def ascii_digits(text: str, max_len: int = 20) -> bool:
    """``str.isdigit`` accepts ``"²"`` and other digits ``int`` cannot read; this does not."""
    return 0 < len(text) <= max_len and text.isascii() and text.isdigit()

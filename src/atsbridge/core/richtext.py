"""Turning vendor text into the contract's ``*_html`` fields without letting markup through.

Why: clients render ``content_html`` as HTML. A note typed as plain text (``a < b & <script>x</script>``)
stored verbatim there is stored XSS for every client. Plain text is therefore always escaped; text that
*may* be HTML (some vendors return both kinds under one key) is kept only when it is plain formatting markup.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

#: Formatting tags a vendor's rich-text note may carry (no scripts, styles, frames, images, forms).
_SAFE_TAGS = frozenset(
    ("a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol",
     "p", "pre", "s", "span", "strong", "sub", "sup", "u", "ul")
)  # fmt: skip
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def text_to_html(text: str) -> str:
    """Plain text as one HTML paragraph: escaped, line breaks kept."""
    return "<p>" + html.escape(text.strip()).replace("\r\n", "\n").replace("\n", "<br>") + "</p>"


class _Checker(HTMLParser):
    """Finds anything beyond plain formatting markup: a tag off the list, any attribute but a link's
    http(s)/mailto ``href``, comments, declarations, processing instructions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe = False
        self.tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag not in _SAFE_TAGS:
            self.unsafe = True
        for name, value in attrs:
            ok = tag == "a" and name == "href" and (value or "").strip().lower().startswith(_SAFE_SCHEMES)
            if not ok:
                self.unsafe = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _SAFE_TAGS:
            self.unsafe = True

    def handle_comment(self, data: str) -> None:
        self.unsafe = True

    def handle_decl(self, decl: str) -> None:
        self.unsafe = True

    def handle_pi(self, data: str) -> None:
        self.unsafe = True

    def unknown_decl(self, data: str) -> None:
        self.unsafe = True


def html_or_text(value: str) -> str:
    """``value`` unchanged when it is HTML made only of formatting markup, else escaped as plain text."""
    checker = _Checker()
    try:
        checker.feed(value)
        checker.close()
    except Exception:  # the parser is lenient, but untrusted input must never break a sync
        checker.unsafe = True
    if checker.tags and not checker.unsafe and checker.rawdata == "":
        return value
    return text_to_html(value)

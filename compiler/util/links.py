"""Where each code's documentation lives on the web: SARIF's `helpUri`, the language server's
code descriptions. The one place the documentation's address is written.

>>> help_uri("DLV001", "queue-without-dead-letter")
'https://github.com/evtc/evtc/blob/main/docs/rules.md#dlv001-queue-without-dead-letter'
>>> help_uri("REF005", "bad-unit")
'https://github.com/evtc/evtc/blob/main/docs/language.md#diagnostics-of-the-front-end'
"""

from __future__ import annotations

# NOTE: the repository's address; change it here when the project is published elsewhere.
DOCS = "https://github.com/evtc/evtc/blob/main/docs/"


def help_uri(code: str, name: str) -> str:
    """The page (and anchor) documenting `code`: docs/rules.md for rules, language.md for the compiler's own."""
    if code.startswith(("SYN", "REF")):
        return DOCS + "language.md#diagnostics-of-the-front-end"
    return f"{DOCS}rules.md#{code.lower()}-{name}"

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from typing import ClassVar

from evtc import ir
from evtc.diagnostics import Category, Diagnostic, Severity
from evtc.rules.base import Option, Rule, RuleContext

_PATTERNS = (
    (re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"), "an AWS access key id"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (re.compile(r"\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}"), "a GitHub token"),
    (re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"\b(sk|rk)_live_[A-Za-z0-9]{16,}"), "a Stripe key"),
    (re.compile(r"\bwhsec_[A-Za-z0-9]{16,}"), "a webhook signing secret"),
    (re.compile(r"://[^/\s:@]+:[^/\s@]+@"), "a URL with a password"),
)
_TOKEN = re.compile(r"[A-Za-z0-9+=]{20,}")  # separators (/ - _ .) split names into words


class CredentialInProperty(Rule):
    """A property value that looks like a credential rather than a name.

    ## What it does
    Scans every string value for known credential formats (AWS access keys, private
    keys, GitHub, Slack and Stripe tokens, URLs with passwords) and for long random
    tokens (high Shannon entropy).

    ## Why is this bad?
    An .evt file lives in version control and in build logs. A secret written into it is
    leaked to everyone who can read the repository; `secret:` takes the *name* of a
    secret in a secret store, never its value.

    ## Example
    ```evt
    source stripe: webhook { verify: hmac_sha256 secret: "whsec_9f8a7b6c5d4e3f2a1b0c9d8e" }
    ```

    ## Use instead
    ```evt
    source stripe: webhook { verify: hmac_sha256 secret: "stripe/webhook-signing-key" }
    ```
    """

    code = "SEC008"
    name = "credential-in-property"
    category = Category.SECURITY
    moves_with_text = True
    severity = Severity.ERROR
    options: ClassVar[dict[str, Option]] = {
        "min_entropy": Option(4.0, "Shannon entropy (bits per character) above which a token looks random")
    }

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        threshold = float(ctx.options["min_entropy"])
        for c in ctx.components(ir.Component):
            for prop in c.props:
                for value in _strings(prop.value):
                    what = looks_like_credential(value, threshold)
                    if what:
                        yield self.report(
                            prop.value_span,
                            f"'{prop.name}' of '{c.name}' looks like {what}",
                            "keep credentials in a secret store and write the secret's name here; rotate the leaked value",
                        )
                        break


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def looks_like_credential(value: str, threshold: float = 4.0) -> str | None:
    """What kind of credential `value` looks like, or None.

    >>> looks_like_credential("AKIAIOSFODNN7EXAMPLE")
    'an AWS access key id'
    >>> looks_like_credential("stripe/webhook-signing-key") is None
    True
    """
    for pattern, what in _PATTERNS:
        if pattern.search(value):
            return what
    for token in _TOKEN.findall(value):
        mixed = any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token)
        if mixed and _entropy(token) >= threshold:
            return "a random token (a secret value)"
    return None


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())

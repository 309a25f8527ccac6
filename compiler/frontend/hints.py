"""Targeted hints for the mistakes newcomers make most, from what is written at the error:
an arrow from another language, `=` for `==`, `&&`/`||`, single quotes, `//` comments.

The context comes from the terminals the parser would have accepted there (lark's
`allowed`), which tells a property's `=` from a filter's.

>>> hint_for("route a => b", 8, {"__ANON_0", "DOT"})
('`=>` is not an arrow evtc knows', 'routes use `->`: `route SOURCE -> TARGET`', 2)
>>> hint_for("when a = 1", 7, {"COMPARE_OP", "IN", "DOT"})[1]
'compare with `==`: `a == 1`'
"""

from __future__ import annotations

import re

_ARROW = re.compile(r"=+>|-{2,}>|-\s+>|->>|[→⇒⟶➔➜—–]>?")
_SINGLE = re.compile(r"'([^'\n]*)'")
_PROPERTY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*$")


def hint_for(text: str, pos: int, allowed: set[str] | frozenset[str]) -> tuple[str, str, int] | None:
    """(message, hint, width of the mistake) for the character at `pos`, or None when nothing specific fits."""
    rest = text[pos : pos + 8]
    arrow = _ARROW.match(rest)
    if arrow:
        written = arrow.group()
        return f"`{written}` is not an arrow evtc knows", "routes use `->`: `route SOURCE -> TARGET`", len(written)
    if rest.startswith(("&&", "||")):
        word = "and" if rest[0] == "&" else "or"
        return f"`{rest[:2]}` is not an operator in evtc", f"write `{word}`: filters use `and`, `or` and `not`", 2
    if rest.startswith("!") and not rest.startswith("!="):
        return "`!` is not an operator in evtc", "write `not`, as in `not exists field`; `!=` compares", 1
    if rest.startswith("'"):
        quoted = _SINGLE.match(text, pos)
        inside = quoted.group(1) if quoted else "…"
        width = len(quoted.group()) if quoted else 1
        return "strings use double quotes", f'write "{inside}"', width
    if rest.startswith(("//", "/*")):
        hint = "comments start with `#` and run to the end of the line"
        return f"`{rest[:2]}` does not start a comment in evtc", hint, 2
    if rest.startswith("=") and not rest.startswith("=="):
        found = _equals(text, pos, allowed)
        return (*found, 1) if found else None
    return None


def _equals(text: str, pos: int, allowed: set[str] | frozenset[str]) -> tuple[str, str] | None:
    before = _PROPERTY.search(text[max(0, pos - 80) : pos])
    name = before.group(1) if before else "name"
    value = text[pos + 1 :].strip().split(None, 1)
    shown = value[0] if value else "value"
    if "COLON" in allowed:
        return "properties are written with `:`, not `=`", f"write `{name}: {shown}`"
    if "COMPARE_OP" in allowed:
        return "`=` is not a comparison", f"compare with `==`: `{name} == {shown}`"
    return None

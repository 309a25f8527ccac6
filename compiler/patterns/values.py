"""Scalar semantics shared by every operator: numbers, IP ranges and wildcard patterns.

AWS compares numbers as fixed-point values with six digits after the decimal point inside
a bounded range, so `300`, `300.0` and `3.015e2` are the same number, and two numbers that
differ only in the seventh decimal are equal. We reproduce that by quantising once.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import cache
from types import ModuleType

# Numbers outside +-5e9 cannot be compared numerically by AWS's matcher; they only match
# their own literal value (e.g. an account id).
NUMBER_LIMIT = 5_000_000_000.0
_SCALE = 1_000_000.0

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def is_number(value: object) -> bool:
    """True for JSON numbers; bool is an int subclass in Python but never a number in JSON."""
    kind = type(value)
    return kind is int or kind is float


def quantise(number: float) -> int | None:
    """The fixed-point key AWS compares on, or None when the number is out of range."""
    if not -NUMBER_LIMIT <= number <= NUMBER_LIMIT:
        return None
    # NOTE: the offset is added before scaling and the result truncated, exactly in double
    # arithmetic, so that rounding agrees with AWS at the seventh decimal.
    return int(_SCALE * (NUMBER_LIMIT + number))


def parse_network(text: str) -> IpNetwork | None:
    """Parse a CIDR block (`10.0.0.0/24`, `2001:db8::/64`) or a single address; None if bad."""
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def address_range(network: IpNetwork) -> tuple[int, int, int]:
    """(IP version, first address, last address) as integers, for fast membership tests."""
    return network.version, int(network.network_address), int(network.broadcast_address)


def network_test(text: str) -> Callable[[object], bool]:
    """The test "is a textual IP address inside this CIDR block" (false for any other value)."""
    network = parse_network(text)
    if network is None:
        return lambda value: False
    version, first, last = address_range(network)
    return lambda value: in_range(value, version, first, last)


def in_range(value: object, version: int, first: int, last: int) -> bool:
    """True when `value` is a textual IP address of `version` between first and last."""
    if type(value) is not str:
        return False
    number = _ipv4(value) if version == 4 else _ipv6(value)
    return number is not None and first <= number <= last


def _ipv4(text: str) -> int | None:
    # NOTE: ipaddress takes microseconds per address; the pattern admits exactly the dotted
    # quads it would (ASCII digits, no leading zeros, octets up to 255), then inet_aton reads them.
    if _IPV4.fullmatch(text) is None:
        return None
    return int.from_bytes(_socket().inet_aton(text), "big")


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


def _ipv6(text: str) -> int | None:
    # NOTE: for hex groups and colons only, inet_pton reads exactly what ipaddress does (a
    # test compares them) in a fifth of the time; embedded IPv4 and zone ids go to ipaddress.
    if _IPV6_HEX.fullmatch(text) is not None:
        try:
            socket = _socket()
            return int.from_bytes(socket.inet_pton(socket.AF_INET6, text), "big")
        except OSError:
            return None
    try:
        return int(ipaddress.IPv6Address(text))
    except ValueError:
        return None


_IPV6_HEX = re.compile(r"[0-9A-Fa-f:]+")


@cache
def _socket() -> ModuleType:
    """The socket module, imported when an address is first read: importing it costs more
    than checking a small file, and most checks never read an address."""
    import socket

    return socket


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """Translate an AWS wildcard (`*` any run, `\\*` a literal star, `\\\\` a backslash)."""
    tokens = wildcard_tokens(pattern)
    return re.compile("".join(".*" if token is None else re.escape(token) for token in tokens), re.DOTALL)


def wildcard_complexity(pattern: str) -> int:
    """The largest number of positions a wildcard pattern can be in at once, over all inputs.

    AWS rejects wildcard patterns that are "too complex" (many wildcards each followed by the
    same characters). We measure that as the widest state set of the pattern's automaton.
    """
    tokens = wildcard_tokens(pattern)
    alphabet = {token for token in tokens if token is not None} | {"\0"}
    start = _closure(frozenset({0}), tokens)
    seen, frontier, widest = {start}, [start], len(start)
    while frontier:
        states = frontier.pop()
        for char in alphabet:
            nxt = _closure(_step(states, tokens, char), tokens)
            if nxt and nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
                widest = max(widest, len(nxt))
    return widest


def wildcard_tokens(pattern: str) -> list[str | None]:
    """One token per pattern position: a literal character, or None for `*`."""
    tokens: list[str | None] = []
    index = 0
    while index < len(pattern):
        if pattern[index] == "\\" and index + 1 < len(pattern):
            tokens.append(pattern[index + 1])
            index += 2
        else:
            tokens.append(None if pattern[index] == "*" else pattern[index])
            index += 1
    return tokens


def _closure(states: frozenset[int], tokens: list[str | None]) -> frozenset[int]:
    """Add the positions reachable by letting a `*` match nothing."""
    result = set(states)
    for state in sorted(states):
        while state < len(tokens) and tokens[state] is None:
            state += 1
            result.add(state)
    return frozenset(result)


def _step(states: frozenset[int], tokens: list[str | None], char: str) -> frozenset[int]:
    result: set[int] = set()
    for state in states:
        if state < len(tokens):
            if tokens[state] is None:
                result.add(state)
            elif tokens[state] == char:
                result.add(state + 1)
    return frozenset(result)

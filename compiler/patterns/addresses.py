"""IP addresses as EventBridge's matching library reads them (the `cidr` operator, and
string literals that spell an address).

The library reads a string as an address when it looks like one (four runs of decimal
digits joined by dots, or hex digits and colons with at least one colon) and Java's
address parser accepts it: IPv4 octets may have leading zeros (`010.0.0.1` is 10.0.0.1),
an IPv4-mapped IPv6 address (`::ffff:a00:1`) is the IPv4 address it maps, and a zone id
(`fe80::1%eth0`) or an embedded dotted quad (`::ffff:10.0.0.1`) is not an address at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# (IP version, address as an integer)
Address = tuple[int, int]

_IPV4 = re.compile(r"([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+)")
_IPV6 = re.compile(r"[0-9a-fA-F:]*:[0-9a-fA-F:]*")
_MASK = re.compile(r"[+-]?[0-9]+")
_MAPPED = 0xFFFF << 32


@lru_cache(maxsize=4096)
def read_address(text: str) -> Address | None:
    """The address a string spells, or None when the library would not read it as one."""
    found = _IPV4.fullmatch(text)
    if found is not None:
        octets = [int(group) for group in found.groups()]
        if max(octets) > 255:
            return None
        return 4, int.from_bytes(bytes(octets), "big")
    if _IPV6.fullmatch(text) is None:
        return None
    import socket  # NOTE: only an IPv6 literal needs it; it is a twentieth of `evtc check`'s imports

    try:
        number = int.from_bytes(socket.inet_pton(socket.AF_INET6, text), "big")
    except OSError:
        return None
    if number >> 32 == 0xFFFF:  # NOTE: Java hands back an IPv4 address for a mapped one
        return 4, number & 0xFFFFFFFF
    return 6, number


def read_network(text: str) -> tuple[int, int, int] | None:
    """(version, first, last) of a `cidr` operand, or None when the library rejects it.

    The mask must be below the address length (`/32` and `/128` are refused), may carry a
    sign (`/+8`), and host bits may be set (`10.0.0.1/8` is 10.0.0.0/8).
    """
    parts = text.split("/")
    if len(parts) != 2 or _MASK.fullmatch(parts[1]) is None:
        return None
    address = read_address(parts[0])
    mask = int(parts[1])
    if address is None or mask < 0:
        return None
    version, number = address
    width = 32 if version == 4 else 128
    if mask >= width:
        return None
    host = (1 << (width - mask)) - 1
    return version, number & ~host, number | host


def mask_problem(text: str) -> str | None:
    """The library's reason for refusing a `cidr` operand, or None."""
    parts = text.split("/")
    if len(parts) != 2:
        return f"Nonstandard IP address: {text}"
    if _MASK.fullmatch(parts[1]) is None:
        return "Malformed CIDR, mask bits must be an integer"
    address = read_address(parts[0])
    if address is None:
        return f"Nonstandard IP address: {parts[0]}"
    if int(parts[1]) < 0:
        return "Malformed CIDR, mask bits must not be negative"
    if read_network(text) is None:
        return f"IPv{address[0]} mask bits must be < {32 if address[0] == 4 else 128}"
    return None


def in_network(version: int, first: int, last: int) -> Callable[[object], bool]:
    """The test "is this event value an address inside the range" (false for non-strings).

    NOTE: an address of the other family never matches, where the library compares the
    hex spellings of different lengths and sometimes says yes: a defect evtc does not copy.
    """

    def test(value: object) -> bool:
        if type(value) is not str:
            return False
        address = read_address(value)
        return address is not None and address[0] == version and first <= address[1] <= last

    return test

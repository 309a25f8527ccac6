"""User avatars: make a thumbnail of each new .png avatar, keep a directory of avatars."""

from __future__ import annotations

from typing import Any

from evtc import write
from evtc.envelope import records

DIRECTORY: dict[str, dict[str, Any]] = {}  # user id -> what the directory shows


def reset() -> None:
    DIRECTORY.clear()


def make_thumbnail(event: dict[str, Any], context: Any) -> None:
    for envelope in records(event):
        url = envelope.data["avatarUrl"]
        thumbnail = url.rsplit(".", 1)[0] + "_thumb.png"
        write.update_item("users", {"id": envelope.data["id"]}, {"thumbnailUrl": thumbnail})


def update_directory(event: dict[str, Any], context: Any) -> None:
    for envelope in records(event):
        DIRECTORY[envelope.data["id"]] = dict(envelope.data)

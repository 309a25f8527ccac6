"""Sensor metrics fanned out by one SNS topic (examples/sns_fanout.evt)."""

from __future__ import annotations

from typing import Any

from evtc.envelope import records

ARCHIVE: list[str] = []  # event types, in arrival order
TEMPERATURES: dict[str, list[float]] = {}  # sensor id -> readings
HUMIDITIES: dict[str, list[float]] = {}
ALARMS: list[tuple[str, float]] = []  # (location, value)


def reset() -> None:
    ARCHIVE.clear()
    TEMPERATURES.clear()
    HUMIDITIES.clear()
    ALARMS.clear()


def archive(event: dict[str, Any], context: Any) -> None:
    ARCHIVE.extend(envelope.type for envelope in records(event))


def temperature(event: dict[str, Any], context: Any) -> None:
    _collect(event, TEMPERATURES, "Temperature")


def humidity(event: dict[str, Any], context: Any) -> None:
    _collect(event, HUMIDITIES, "Humidity")


def _collect(event: dict[str, Any], into: dict[str, list[float]], kind: str) -> None:
    for envelope in records(event):
        if envelope.data["metric_type"] != kind:
            raise ValueError(f"the subscription admits {kind} only, not {envelope.data['metric_type']}")
        into.setdefault(envelope.data["sensor_id"], []).append(envelope.data["value"])


def alarm(event: dict[str, Any], context: Any) -> None:
    for record in event["Records"]:
        attributes = record["Sns"]["MessageAttributes"]
        if attributes["metric_type"]["Value"] != "Temperature" or float(attributes["value"]["Value"]) < 40:
            raise ValueError("the filter policy admits temperatures of 40 and above only")
    for envelope in records(event):
        ALARMS.append((envelope.data["location"], envelope.data["value"]))

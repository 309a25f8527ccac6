"""Writes on Lambda (`evtc.write.put_item` and friends): boto3 calls on the tables and
buckets the target names in `EVTC_WRITES`, the only ones the function's role may write to.

A table bound to change kinds (`writes: [orders: "INSERT"]`) is written conditionally, so
DynamoDB refuses the write that would make another kind, as the local runtime does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from evtc.envelope import to_dynamodb
from evtc.write import KindNotDeclaredError, UndeclaredWriteError

WRITES_ENV = "EVTC_WRITES"
__all__ = ["WRITES_ENV", "KindNotDeclaredError", "UndeclaredWriteError", "Writer", "declared_writes"]
CONDITION_FAILED = "ConditionalCheckFailedException"


class Writer:
    """Mixed into the Lambda backend: `component`, `writes` and `client(service)` are its."""

    component: str
    writes: Mapping[str, Mapping[str, Any]]

    def client(self, service: str) -> Any:  # pragma: no cover - the backend's
        raise NotImplementedError

    def put_item(self, table: str, item: Mapping[str, Any]) -> str:
        target = self._target(table, "table")
        names, condition = self._condition(table, target)
        args = {"ConditionExpression": condition, "ExpressionAttributeNames": names} if condition else {}
        result = self._call(
            table,
            "put_item",
            TableName=target["name"],
            Item={k: to_dynamodb(v) for k, v in item.items()},
            ReturnValues="ALL_OLD",
            **args,
        )
        return "MODIFY" if result.get("Attributes") else "INSERT"

    def update_item(self, table: str, key: Mapping[str, Any], values: Mapping[str, Any]) -> str:
        target = self._target(table, "table")
        names, condition = self._condition(table, target)
        settable = [name for name in values if name not in key]
        names |= {f"#a{i}": name for i, name in enumerate(settable)}
        args: dict[str, Any] = {
            "TableName": target["name"],
            "Key": {k: to_dynamodb(v) for k, v in key.items()},
            "ReturnValues": "ALL_OLD",
        }
        if settable:
            args["UpdateExpression"] = "SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(settable)))
            args["ExpressionAttributeValues"] = {f":v{i}": to_dynamodb(values[n]) for i, n in enumerate(settable)}
        if names:
            args["ExpressionAttributeNames"] = names
        if condition:
            args["ConditionExpression"] = condition
        result = self._call(table, "update_item", **args)
        return "MODIFY" if result.get("Attributes") else "INSERT"

    def _call(self, table: str, operation: str, **args: Any) -> Any:
        """The DynamoDB call; its conditional check failing is KindNotDeclaredError, as locally."""
        try:
            return getattr(self.client("dynamodb"), operation)(**args)
        except Exception as error:  # NOTE: botocore's ClientError, without importing botocore
            code = (getattr(error, "response", None) or {}).get("Error", {}).get("Code")
            if code == CONDITION_FAILED:
                raise KindNotDeclaredError(
                    f"'{self.component}': the write to '{table}' would make a change kind its `writes` does not name"
                ) from error
            raise

    def _condition(self, table: str, target: Mapping[str, Any]) -> tuple[dict[str, str], str]:
        """The condition that keeps a write to the kinds it declares (`INSERT` only: the key
        must not exist yet; `MODIFY` only: it must)."""
        kinds = target.get("kinds") or ["INSERT", "MODIFY", "REMOVE"]
        if "INSERT" not in kinds and "MODIFY" not in kinds:
            raise UndeclaredWriteError(f"'{self.component}' writes only {kinds} to '{table}': a put is no deletion")
        if "INSERT" in kinds and "MODIFY" in kinds:
            return {}, ""
        exists = "attribute_exists" if "INSERT" not in kinds else "attribute_not_exists"
        return {"#k": target["key"]}, f"{exists}(#k)"

    def delete_item(self, table: str, key: Mapping[str, Any]) -> bool:
        target = self._target(table, "table")
        if "REMOVE" not in (target.get("kinds") or ["REMOVE"]):
            raise UndeclaredWriteError(f"'{self.component}' does not declare deletions from '{table}' (REMOVE)")
        result = self.client("dynamodb").delete_item(
            TableName=target["name"], Key={k: to_dynamodb(v) for k, v in key.items()}, ReturnValues="ALL_OLD"
        )
        return bool(result.get("Attributes"))

    def put_object(self, bucket: str, key: str, body: bytes | str) -> None:
        target = self._target(bucket, "bucket")
        data = body.encode() if isinstance(body, str) else body
        self.client("s3").put_object(Bucket=target["name"], Key=key, Body=data)

    def _target(self, name: str, kind: str) -> Mapping[str, Any]:
        target = self.writes.get(name)
        if target is None or target.get("kind") != kind:
            declared = ", ".join(sorted(self.writes)) or "nothing"
            raise UndeclaredWriteError(
                f"'{self.component}' does not declare `writes: [{name}]` (it writes {declared}); "
                f"its role may not write to that {kind}"
            )
        return target


def declared_writes() -> dict[str, Any]:
    return dict(json.loads(os.environ.get(WRITES_ENV) or "{}"))

"""The CloudFormation template a user would write by hand for the benchmark's pipelines.

Each pipeline is what `topologies.PIPELINE` describes: an encrypted SNS topic with a
filtered subscription to an encrypted SQS queue (queue policy allowing the topic), a
dead-letter queue with a redrive policy, and a Lambda function consuming the queue
through an event source mapping; one execution role is shared. 70 pipelines are 491
resources.
"""

from __future__ import annotations

import json
from typing import Any

_HANDLER = "def handle(event, context):\n    return None\n"


def pipeline(i: int) -> dict[str, Any]:
    kms = "alias/aws/sns"
    return {
        f"Topic{i}": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": kms}},
        f"Dlq{i}": {
            "Type": "AWS::SQS::Queue",
            "Properties": {"MessageRetentionPeriod": 1209600, "KmsMasterKeyId": "alias/aws/sqs"},
        },
        f"Jobs{i}": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "VisibilityTimeout": 180,
                "MessageRetentionPeriod": 345600,
                "KmsMasterKeyId": "alias/aws/sqs",
                "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [f"Dlq{i}", "Arn"]}, "maxReceiveCount": 5},
            },
        },
        f"JobsPolicy{i}": _queue_policy(i),
        f"Subscription{i}": {
            "Type": "AWS::SNS::Subscription",
            "Properties": {
                "Protocol": "sqs",
                "TopicArn": {"Ref": f"Topic{i}"},
                "Endpoint": {"Fn::GetAtt": [f"Jobs{i}", "Arn"]},
                "RawMessageDelivery": True,
                "FilterPolicyScope": "MessageBody",
                "FilterPolicy": {"amount": [{"numeric": [">", i]}], "region": ["eu-west-1", "us-east-1"]},
            },
        },
        f"Worker{i}": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.12",
                "Handler": "index.handle",
                "Timeout": 30,
                "Role": {"Fn::GetAtt": ["WorkerRole", "Arn"]},
                "Code": {"ZipFile": _HANDLER},
            },
        },
        f"WorkerMapping{i}": {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "EventSourceArn": {"Fn::GetAtt": [f"Jobs{i}", "Arn"]},
                "FunctionName": {"Ref": f"Worker{i}"},
                "BatchSize": 10,
            },
        },
    }


def _queue_policy(i: int) -> dict[str, Any]:
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Resource": {"Fn::GetAtt": [f"Jobs{i}", "Arn"]},
        "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": f"Topic{i}"}}},
    }
    return {
        "Type": "AWS::SQS::QueuePolicy",
        "Properties": {
            "Queues": [{"Ref": f"Jobs{i}"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        },
    }


def _role() -> dict[str, Any]:
    assume = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": assume,
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"],
        },
    }


def template(pipelines: int) -> dict[str, Any]:
    resources: dict[str, Any] = {"WorkerRole": _role()}
    for i in range(pipelines):
        resources.update(pipeline(i))
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def template_text(pipelines: int) -> str:
    return json.dumps(template(pipelines), indent=2) + "\n"

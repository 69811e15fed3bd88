"""Create the buckets, queues and table of template.yaml in moto, from the template itself.

Only the properties that matter to behaviour are applied (versioning, notifications, redrive
policy, keys and indexes); names are the template's own, with its parameter defaults.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCOUNT_ID = "123456789012"


@dataclass
class Provisioned:
    """Physical names of the template's resources in the local stack."""

    buckets: dict[str, str] = field(default_factory=dict)
    queues: dict[str, str] = field(default_factory=dict)  # logical id -> queue URL
    queue_arns: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)
    template: dict[str, Any] = field(default_factory=dict)

    def function(self, logical_id: str) -> dict[str, Any]:
        resource: dict[str, Any] = self.template["Resources"][logical_id]
        return resource

    def sqs_source(self, function_id: str) -> str:
        """Logical id of the queue feeding a function's SQS event source."""
        for event in self.function(function_id)["Properties"].get("Events", {}).values():
            if event.get("Type") == "SQS":
                queue = event["Properties"]["Queue"]
                return str(queue["Fn::GetAtt"][0] if isinstance(queue, dict) else queue)
        raise KeyError(f"{function_id} has no SQS event source")

    def timeout(self, function_id: str) -> int:
        props = self.function(function_id)["Properties"]
        default = self.template.get("Globals", {}).get("Function", {}).get("Timeout", 3)
        return int(props.get("Timeout", default))


def load_template(path: Path) -> dict[str, Any]:
    """template.yaml as a plain dict, intrinsic functions kept as {'Fn::Sub': ...} (cfn-lint's decoder)."""
    from cfnlint.decode import decode_str  # noqa: PLC0415 - local stack only

    template, matches = decode_str(path.read_text(encoding="utf-8"))
    if template is None:
        raise ValueError(f"{path} could not be read: {matches}")
    plain: dict[str, Any] = json.loads(json.dumps(template))
    return plain


class _Resolver:
    def __init__(self, template: dict[str, Any], region: str, out: Provisioned) -> None:
        self.params = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
        self.pseudo = {
            "AWS::AccountId": ACCOUNT_ID,
            "AWS::Region": region,
            "AWS::Partition": "aws",
            "AWS::StackName": "report-tracker-local",
            "AWS::URLSuffix": "amazonaws.com",
        }
        self.out = out

    def ref(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.params:
            return self.params[name]
        for table in (self.out.buckets, self.out.queues, self.out.tables):
            if name in table:
                return table[name]
        raise KeyError(f"unresolved Ref {name}")

    def get_att(self, name: str, attr: str) -> str:
        if attr == "Arn" and name in self.out.queue_arns:
            return self.out.queue_arns[name]
        if attr == "Arn" and name in self.out.buckets:
            return f"arn:aws:s3:::{self.out.buckets[name]}"
        if attr == "QueueName" and name in self.out.queues:
            return self.out.queues[name].rsplit("/", 1)[-1]
        raise KeyError(f"unresolved GetAtt {name}.{attr}")

    def value(self, node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            ((fn, arg),) = node.items()
            if fn == "Ref":
                return self.ref(arg)
            if fn == "Fn::GetAtt":
                name, attr = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.get_att(name, attr)
            if fn == "Fn::Sub":
                text, local = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                return re.sub(r"\$\{([^}]+)\}", lambda m: self._sub(m.group(1), local), text)
        if isinstance(node, dict):
            return {k: self.value(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.value(v) for v in node]
        return node

    def _sub(self, name: str, local: dict[str, Any]) -> str:
        if name in local:
            return str(self.value(local[name]))
        if "." in name:
            res, attr = name.split(".", 1)
            return self.get_att(res, attr)
        return self.ref(name)


def provision(template: dict[str, Any], *, s3: Any, sqs: Any, ddb: Any, region: str) -> Provisioned:
    """Create every bucket, queue and table of the template; wire bucket notifications."""
    out = Provisioned(template=template)
    resolver = _Resolver(template, region, out)
    resources: dict[str, Any] = template["Resources"]
    by_type: dict[str, list[str]] = {}
    for logical_id, resource in resources.items():
        by_type.setdefault(resource["Type"], []).append(logical_id)

    for logical_id in by_type.get("AWS::SQS::Queue", []):
        props = resources[logical_id].get("Properties", {})
        name = props.get("QueueName") or f"report-tracker-{logical_id}"
        attrs = {k: str(props[k]) for k in ("VisibilityTimeout", "MessageRetentionPeriod") if k in props}
        url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        out.queues[logical_id] = url
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        out.queue_arns[logical_id] = arn
    for logical_id in by_type.get("AWS::SQS::Queue", []):
        redrive = resources[logical_id].get("Properties", {}).get("RedrivePolicy")
        if redrive:
            policy = resolver.value(redrive)
            sqs.set_queue_attributes(
                QueueUrl=out.queues[logical_id],
                Attributes={"RedrivePolicy": json.dumps({k: str(v) for k, v in policy.items()})},
            )

    for logical_id in by_type.get("AWS::DynamoDB::Table", []):
        props = resources[logical_id]["Properties"]
        name = props.get("TableName") or f"report-tracker-{logical_id}"
        kwargs: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        ddb.create_table(**kwargs)
        out.tables[logical_id] = name

    for logical_id in by_type.get("AWS::S3::Bucket", []):
        props = resources[logical_id].get("Properties", {})
        name = (
            resolver.value(props["BucketName"])
            if "BucketName" in props
            else f"report-tracker-{logical_id.lower()}"
        )
        kwargs = {"Bucket": name}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**kwargs)
        out.buckets[logical_id] = name
        if props.get("VersioningConfiguration", {}).get("Status") == "Enabled":
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        if "BucketEncryption" in props:
            # CloudFormation says ServerSideEncryptionByDefault where the S3 API says Apply...
            rules = [
                {"ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"]}
                for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            ]
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
        if "PublicAccessBlockConfiguration" in props:
            s3.put_public_access_block(
                Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"]
            )
    for logical_id in by_type.get("AWS::S3::Bucket", []):
        props = resources[logical_id].get("Properties", {})
        configs = props.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
        by_queue: dict[str, list[str]] = {}
        for config in configs:
            arn = resolver.value(config["Queue"])
            by_queue.setdefault(arn, []).append(config["Event"])
        if by_queue:
            s3.put_bucket_notification_configuration(
                Bucket=out.buckets[logical_id],
                NotificationConfiguration={
                    "QueueConfigurations": [
                        {"QueueArn": arn, "Events": events} for arn, events in by_queue.items()
                    ]
                },
            )
    return out

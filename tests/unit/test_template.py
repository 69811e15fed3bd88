"""Static checks of template.yaml: nothing exposed, nothing that loses messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from report_tracker.local.stack import project_root
from report_tracker.local.template import load_template


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(project_root() / "template.yaml")


def _resources(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_every_http_api_requires_auth(template: dict[str, Any]) -> None:
    apis = _resources(template, "AWS::Serverless::HttpApi")
    assert apis
    for name, api in apis.items():
        auth = api["Properties"].get("Auth", {})
        assert auth.get("DefaultAuthorizer"), f"{name} has no default authorizer"
        if auth["DefaultAuthorizer"] == "AWS_IAM":
            assert auth.get("EnableIamAuthorizer") is True
        else:
            assert auth["DefaultAuthorizer"] in auth.get("Authorizers", {})
    for name, fn in _resources(template, "AWS::Serverless::Function").items():
        for event_name, event in fn["Properties"].get("Events", {}).items():
            if event["Type"] == "HttpApi":
                props = event["Properties"]
                assert "ApiId" in props, f"{name}.{event_name} would create an unauthenticated implicit API"
                assert props.get("Auth", {}).get("Authorizer") != "NONE", f"{name}.{event_name} disables auth"


def test_no_policy_grants_a_wildcard_resource(template: dict[str, Any]) -> None:
    # Only SAM policy templates, each scoped to one named resource of this stack.
    for name, fn in _resources(template, "AWS::Serverless::Function").items():
        for policy in fn["Properties"].get("Policies", []):
            assert isinstance(policy, dict) and len(policy) == 1, (
                f"{name}: {policy} is not a scoped policy template"
            )
            ((template_name, params),) = policy.items()
            assert template_name != "Statement", f"{name}: inline statements are not allowed"
            assert isinstance(params, dict) and params, f"{name}: {template_name} has no resource scope"
            for value in params.values():
                assert value != "*" and ("Ref" in value or "Fn::GetAtt" in value), (
                    f"{name}: {template_name}={value}"
                )
    for name, res in template["Resources"].items():
        if res["Type"] in {"AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy"}:
            assert '"Resource": "*"' not in json.dumps(res), name


def test_buckets_are_versioned_encrypted_private_and_tls_only(template: dict[str, Any]) -> None:
    buckets = _resources(template, "AWS::S3::Bucket")
    policies = _resources(template, "AWS::S3::BucketPolicy")
    for name, bucket in buckets.items():
        props = bucket["Properties"]
        assert props["VersioningConfiguration"]["Status"] == "Enabled", name
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"], name
        assert all(props["PublicAccessBlockConfiguration"].values()), name
        assert bucket.get("DeletionPolicy") == "Retain", name
        tls = [
            p
            for p in policies.values()
            if p["Properties"]["Bucket"] == {"Ref": name}
            and any(
                s["Effect"] == "Deny" and s["Condition"]["Bool"]["aws:SecureTransport"] == "false"
                for s in p["Properties"]["PolicyDocument"]["Statement"]
            )
        ]
        assert tls, f"{name} accepts plain HTTP"


def test_queue_outlives_retries_and_parks_poison(template: dict[str, Any]) -> None:
    queue = template["Resources"]["IngestQueue"]["Properties"]
    ingest = template["Resources"]["IngestFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * ingest["Timeout"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] >= 5
    dlq = template["Resources"][queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]]["Properties"]
    assert dlq["MessageRetentionPeriod"] == 14 * 24 * 3600
    event = next(iter(ingest["Events"].values()))
    assert "ReportBatchItemFailures" in event["Properties"]["FunctionResponseTypes"]
    assert ingest.get("ReservedConcurrentExecutions")


def test_queue_accepts_only_our_bucket(template: dict[str, Any]) -> None:
    policy = template["Resources"]["IngestQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert policy["Principal"] == {"Service": "s3.amazonaws.com"}
    assert "aws:SourceArn" in policy["Condition"]["ArnEquals"]
    assert "aws:SourceAccount" in policy["Condition"]["StringEquals"]


def test_table_is_protected(template: dict[str, Any]) -> None:
    table = template["Resources"]["ArchiveTable"]
    props = table["Properties"]
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"


def test_globals_pin_runtime_and_limits(template: dict[str, Any]) -> None:
    glob = template["Globals"]["Function"]
    assert glob["Runtime"] == "python3.12" and glob["Architectures"] == ["x86_64"]
    assert glob["Tracing"] == "Active" and glob["Timeout"] and glob["MemorySize"]
    assert _resources(template, "AWS::Serverless::LayerVersion")
    for name in _resources(template, "AWS::Serverless::HttpApi"):
        settings = template["Resources"][name]["Properties"]
        assert settings["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
        assert settings["AccessLogSettings"]["DestinationArn"]

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


PUBLIC_ROUTES = {("GET", "/"), ("GET", "/static/{name}")}


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
                if props.get("Auth", {}).get("Authorizer") == "NONE":
                    # only the viewer's page and assets, which hold no data
                    assert (props["Method"], props["Path"]) in PUBLIC_ROUTES, (
                        f"{name}.{event_name} disables auth"
                    )


def _grants(fn: dict[str, Any], *, opensearch: bool = False) -> dict[str, set[str]]:
    """Action -> the resources (as written) a function's inline statements allow it on; with
    ``opensearch``, as deployed with SearchEngine=opensearch."""
    grants: dict[str, set[str]] = {}
    for written in fn["Properties"].get("Policies", []):
        policy = written
        if "Fn::If" in written:
            condition, when_true, when_false = written["Fn::If"]
            assert condition == "UseOpenSearch" and when_false == {"Ref": "AWS::NoValue"}
            if not opensearch:
                continue
            policy = when_true
        assert set(policy) == {"Statement"}, f"{policy}: only inline statements, each action named"
        for statement in policy["Statement"]:
            assert statement["Effect"] == "Allow"
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            for action in actions:
                grants.setdefault(action, set()).update(json.dumps(r, sort_keys=True) for r in resources)
    return grants


def test_each_function_may_do_exactly_what_it_does(template: dict[str, Any]) -> None:
    functions = _resources(template, "AWS::Serverless::Function")
    ingest = _grants(functions["IngestFunction"])
    assert set(ingest) == {
        "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions", "s3:PutObject",
        "s3:DeleteObject", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem",
        "dynamodb:Query", "sqs:SendMessage",
    }  # fmt: skip
    assert all("RawBucket" not in r for r in ingest["s3:PutObject"]), "ingest never writes uploads"
    assert ingest["sqs:SendMessage"] == {'{"Fn::GetAtt": ["DatasetQueue", "Arn"]}'}, (
        "it announces dataset work only"
    )
    dataset = _grants(functions["DatasetFunction"])
    assert set(dataset) == {
        "s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject", "dynamodb:GetItem", "dynamodb:Query",
    }  # fmt: skip
    # it writes the dataset, its manifests, the comparisons cache and search segments (a retry of
    # ingest's), and deletes only dataset files
    assert sorted(json.loads(r)["Fn::Sub"] for r in dataset["s3:PutObject"]) == [
        "${ArchiveBucket.Arn}/comparisons/*",
        "${ArchiveBucket.Arn}/dataset-manifests/*",
        "${ArchiveBucket.Arn}/dataset/*",
        "${ArchiveBucket.Arn}/search/*",
    ]
    assert sorted(json.loads(r)["Fn::Sub"] for r in dataset["s3:DeleteObject"]) == [
        "${ArchiveBucket.Arn}/dataset-manifests/*",
        "${ArchiveBucket.Arn}/dataset/*",
    ]
    # it deletes only dataset files it replaces (the archive bucket keeps their old versions)
    assert sorted(json.loads(r)["Fn::Sub"] for r in ingest["s3:DeleteObject"]) == [
        "${ArchiveBucket.Arn}/dataset/*",
        "${ArchiveBucket.Arn}/search/*",
    ]
    for name in ("ApiFunction", "JwtApiFunction"):
        api = _grants(functions[name])
        assert set(api) == {
            "dynamodb:GetItem", "dynamodb:Query", "s3:GetObject", "s3:ListBucket", "s3:PutObject", "sqs:SendMessage",
        }  # fmt: skip
        # writes go to its caches and the upload prefixes it signs, nowhere else
        written = sorted(json.loads(r)["Fn::Sub"] for r in api["s3:PutObject"])
        assert written == [
            "${ArchiveBucket.Arn}/comparisons/*",
            "${ArchiveBucket.Arn}/responses/*",
            "${ArchiveBucket.Arn}/templates/*",
            "${RawBucket.Arn}/inbox/*",
            "${RawBucket.Arn}/uploads/*",
        ]
    # With the OpenSearch engine, each may call the collection, no other; what it may do inside
    # is the data access policy's: ingest and the dataset function write, the API reads
    collection = {'{"Fn::GetAtt": ["SearchCollection", "Arn"]}'}
    for name, fn in functions.items():
        assert _grants(fn, opensearch=True) == {**_grants(fn), "aoss:APIAccessAll": collection}, name
    access = json.dumps(template["Resources"]["SearchAccessPolicy"]["Properties"]["Policy"])
    assert access.count("aoss:WriteDocument") == 1 and access.count("aoss:ReadDocument") == 2
    assert template["Resources"]["SearchCollection"]["Condition"] == "UseOpenSearch"
    for name, fn in functions.items():
        for action, resources in _grants(fn).items():
            assert "*" not in action and '"*"' not in resources, f"{name}: {action} on {resources}"
            if (name, action) not in {
                ("IngestFunction", "s3:DeleteObject"),
                ("DatasetFunction", "s3:DeleteObject"),
            }:
                assert not action.startswith(
                    ("s3:Delete", "s3:PutLifecycle", "s3:PutBucket", "dynamodb:Delete")
                )
    for name, res in template["Resources"].items():
        if res["Type"] in {"AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy"}:
            assert '"Resource": "*"' not in json.dumps(res), name


def test_failures_raise_alarms_to_the_topic_given(template: dict[str, Any]) -> None:
    alarms = _resources(template, "AWS::CloudWatch::Alarm").values()
    watched = {
        (a["Properties"]["MetricName"], json.dumps(a["Properties"]["Dimensions"][0]["Value"], sort_keys=True))
        for a in alarms
    }
    assert (
        "ApproximateNumberOfMessagesVisible",
        '{"Fn::GetAtt": ["IngestDeadLetterQueue", "QueueName"]}',
    ) in watched
    assert ("Errors", '{"Ref": "IngestFunction"}') in watched
    assert ("Throttles", '{"Ref": "IngestFunction"}') in watched
    assert {m for m, d in watched if "ApiFunction" in d} == {"Errors", "Throttles"}
    for alarm in alarms:
        assert alarm["Properties"]["Threshold"] == 1
        assert "AlarmTopicArn" in json.dumps(alarm["Properties"]["AlarmActions"])


@pytest.mark.parametrize(
    ("parameter", "value", "ok"),
    [("CorsAllowOrigin", "*", False), ("CorsAllowOrigin", "https://reports.example.org", True),
     ("CorsAllowOrigin", "", True), ("JwtIssuer", "http://insecure.example.org", False),
     ("AlarmTopicArn", "arn:aws:sns:eu-west-1:123456789012:alerts", True), ("AlarmTopicArn", "alerts", False)],
)  # fmt: skip
def test_parameters_refuse_values_that_break_the_stack(
    template: dict[str, Any], parameter: str, value: str, ok: bool
) -> None:
    import re

    pattern = template["Parameters"][parameter]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is ok
    upload_limit = template["Parameters"]["MaxUploadBytes"]
    assert upload_limit["MinValue"] >= 1024 and upload_limit["MaxValue"] >= upload_limit["Default"]


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


@pytest.mark.parametrize(
    ("queue_id", "function_id"), [("IngestQueue", "IngestFunction"), ("DatasetQueue", "DatasetFunction")]
)
def test_queue_outlives_retries_and_parks_poison(
    template: dict[str, Any], queue_id: str, function_id: str
) -> None:
    queue = template["Resources"][queue_id]["Properties"]
    function = template["Resources"][function_id]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * function["Timeout"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] >= 5
    dlq_id = queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert template["Resources"][dlq_id]["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
    event = next(iter(function["Events"].values()))
    assert event["Properties"]["Queue"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert "ReportBatchItemFailures" in event["Properties"]["FunctionResponseTypes"]
    assert function.get("ReservedConcurrentExecutions")
    alarmed = {
        json.dumps(a["Properties"].get("Dimensions"), sort_keys=True)
        for a in _resources(template, "AWS::CloudWatch::Alarm").values()
    }
    assert any(dlq_id in d for d in alarmed), f"nobody is told when {dlq_id} fills"


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


GLUE_TYPES = {
    "VARCHAR": "string", "INTEGER": "int", "DOUBLE": "double", "BOOLEAN": "boolean",
    "VARCHAR[]": "array<string>", "INTEGER[]": "array<int>",
}  # fmt: skip


def test_the_athena_tables_are_the_dataset_schema(template: dict[str, Any]) -> None:
    from report_tracker.dataset.schema import DATASET_VERSION, PARTITIONS, TABLES

    glue = {t["Properties"]["TableInput"]["Name"]: t["Properties"]["TableInput"]
            for t in _resources(template, "AWS::Glue::Table").values()}  # fmt: skip
    assert set(glue) == set(TABLES)
    for name, table in glue.items():
        written = [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]
        assert written == [(c.name, GLUE_TYPES[c.type]) for c in TABLES[name]], name
        assert [k["Name"] for k in table["PartitionKeys"]] == [n for n, _ in PARTITIONS]
        location = table["StorageDescriptor"]["Location"]["Fn::Sub"]
        assert location == f"s3://${{ArchiveBucket}}/dataset/v{DATASET_VERSION}/{name}/"
        assert table["Parameters"]["projection.enabled"] == "true"
    group = next(iter(_resources(template, "AWS::Athena::WorkGroup").values()))["Properties"]
    assert group["WorkGroupConfiguration"]["EnforceWorkGroupConfiguration"] is True


def test_the_dataset_page_documents_every_column() -> None:
    from report_tracker.dataset.schema import markdown

    page = (project_root() / "docs" / "dataset.md").read_text(encoding="utf-8")
    assert markdown().strip() in page, "docs/dataset.md: paste report_tracker.dataset.schema.markdown()"


def test_functions_that_hold_the_search_index_have_room_for_two_bases(template: dict[str, Any]) -> None:
    # The API keeps the base in /tmp and fetches a changed one beside it; a compaction in ingest
    # (or the dataset function's segment) writes next to it: docs/scale.md sizes the base.
    default = template["Globals"]["Function"].get("EphemeralStorage", {}).get("Size", 512)
    for name in ("ApiFunction", "JwtApiFunction", "IngestFunction", "DatasetFunction"):
        props = template["Resources"][name]["Properties"]
        assert props.get("EphemeralStorage", {}).get("Size", default) >= 4096, name

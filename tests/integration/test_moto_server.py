"""The local stand-in's corrections to moto: cheap snapshots still roll back, partition queries stay exact."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from report_tracker.local.moto_server import (
    cheap_sqs,
    cheap_transaction_snapshots,
    fast_item_responses,
    partition_queries,
)


@pytest.fixture
def ddb() -> Iterator[Any]:
    import boto3
    from moto import mock_aws

    cheap_transaction_snapshots()
    partition_queries()
    fast_item_responses()
    with mock_aws():  # may run inside the session's mock: a table of its own, not a fresh account
        client = boto3.client("dynamodb", region_name="us-east-1")
        if TABLE in client.list_tables()["TableNames"]:
            client.delete_table(TableName=TABLE)
        client.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "GSI1",
                    "KeySchema": [{"AttributeName": "G", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            AttributeDefinitions=[
                {"AttributeName": "G", "AttributeType": "S"},
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


TABLE = "snapshots"


def put(pk: str, sk: str, value: str, condition: str | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"TableName": TABLE, "Item": {"PK": {"S": pk}, "SK": {"S": sk}, "v": {"S": value}}}
    if condition:
        op["ConditionExpression"] = condition
    return {"Put": op}


def items(ddb: Any) -> dict[tuple[str, str], str]:
    return {(i["PK"]["S"], i["SK"]["S"]): i["v"]["S"] for i in ddb.scan(TableName=TABLE)["Items"]}


def test_a_failed_transaction_leaves_nothing_behind(ddb: Any) -> None:
    # Given an item, and a transaction whose last put's condition fails on it
    ddb.transact_write_items(TransactItems=[put("R#1", "V#1", "first")])
    with pytest.raises(ClientError, match="TransactionCanceled"):
        ddb.transact_write_items(
            TransactItems=[
                put("R#1", "V#2", "second"),  # applied before the failing check...
                put("R#2", "H#x", "guard"),
                put("R#1", "V#1", "overwrite", condition="attribute_not_exists(PK)"),
            ]
        )
    # ...then rolled back: the table is exactly as before
    assert items(ddb) == {("R#1", "V#1"): "first"}


def test_a_transaction_with_an_update_still_rolls_back(ddb: Any) -> None:
    ddb.transact_write_items(TransactItems=[put("R#1", "V#1", "first")])
    update = {"Update": {"TableName": TABLE, "Key": {"PK": {"S": "R#1"}, "SK": {"S": "V#1"}},
                         "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"S": "changed"}}}}  # fmt: skip
    with pytest.raises(ClientError, match="TransactionCanceled"):
        ddb.transact_write_items(
            TransactItems=[update, put("R#1", "V#9", "x", condition="attribute_exists(PK)")]
        )
    assert items(ddb) == {("R#1", "V#1"): "first"}


def test_queries_read_the_partition_and_indexes_still_see_every_partition(ddb: Any) -> None:
    rows = [("E#a", "R#2023", "x"), ("E#a", "R#2024", "y"), ("E#b", "R#2024", "x"), ("E#a", "#ENTITY", "x")]
    for pk, sk, g in rows:
        ddb.put_item(TableName=TABLE, Item={"PK": {"S": pk}, "SK": {"S": sk}, "G": {"S": g}, "v": {"S": sk}})

    def query(**kwargs: Any) -> list[tuple[str, str]]:
        items = ddb.query(TableName=TABLE, **kwargs)["Items"]
        return [(i["PK"]["S"], i["SK"]["S"]) for i in items]

    # The base table: one partition, its range condition and order
    assert query(KeyConditionExpression="PK = :p AND begins_with(SK, :s)",
                 ExpressionAttributeValues={":p": {"S": "E#a"}, ":s": {"S": "R#"}}) == [("E#a", "R#2023"), ("E#a", "R#2024")]  # fmt: skip
    assert query(KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": {"S": "E#c"}}) == []
    # An index: items of every partition
    found = query(
        IndexName="GSI1", KeyConditionExpression="G = :g", ExpressionAttributeValues={":g": {"S": "x"}}
    )
    assert sorted(found) == [("E#a", "#ENTITY"), ("E#a", "R#2023"), ("E#b", "R#2024")]


def test_index_queries_follow_every_kind_of_write(ddb: Any) -> None:
    # The stand-in answers index queries from a map it rebuilds after writes: after each write of
    # every kind (put, update moving an item between index keys, delete, transactions applied and
    # rolled back), every index partition must be exactly what a scan finds.
    rng = random.Random(7)
    keys = [(f"E#{i % 3}", f"R#{i}") for i in range(8)]

    def check() -> None:
        scanned = ddb.scan(TableName=TABLE)["Items"]
        for g in ("x", "y", "z"):
            found = ddb.query(TableName=TABLE, IndexName="GSI1", KeyConditionExpression="G = :g",
                              ExpressionAttributeValues={":g": {"S": g}})["Items"]  # fmt: skip
            expected = [i for i in scanned if i.get("G", {}).get("S") == g]
            assert sorted(map(str, found)) == sorted(map(str, expected)), g

    for _ in range(60):
        pk, sk = rng.choice(keys)
        key = {"PK": {"S": pk}, "SK": {"S": sk}}
        g = {"S": rng.choice("xyz")}
        kind = rng.choice(["put", "update", "delete", "transaction", "failed transaction"])
        if kind == "put":
            ddb.put_item(TableName=TABLE, Item={**key, "G": g, "v": {"S": "p"}})
        elif kind == "update":
            ddb.update_item(TableName=TABLE, Key=key, UpdateExpression="SET G = :g, v = :v",
                            ExpressionAttributeValues={":g": g, ":v": {"S": "u"}})  # fmt: skip
        elif kind == "delete":
            ddb.delete_item(TableName=TABLE, Key=key)
        else:
            op = {"Put": {"TableName": TABLE, "Item": {**key, "G": g, "v": {"S": "t"}}}}
            guard = put("GUARD", "G", "never", condition="attribute_exists(PK)")
            try:
                ddb.transact_write_items(TransactItems=[op] if kind == "transaction" else [op, guard])
            except ClientError:
                assert kind == "failed transaction"
        check()


def test_item_reads_are_written_out_exactly_as_moto_would(ddb: Any) -> None:
    item = {"PK": {"S": "E#中"}, "SK": {"S": "#1"}, "G": {"S": "x"}, "n": {"N": "-1.5"}, "b": {"BOOL": True},
            "z": {"NULL": True}, "m": {"M": {"l": {"L": [{"S": "一"}, {"N": "2"}, {"M": {}}]}}},
            "ss": {"SS": ["a", "b"]}, "bin": {"B": b"\x00\xff"}}  # fmt: skip
    ddb.put_item(TableName=TABLE, Item=item)
    ddb.put_item(TableName=TABLE, Item={k: v for k, v in item.items() if k != "bin"} | {"SK": {"S": "#2"}})
    key = {"PK": item["PK"], "SK": {"S": "#2"}}

    def reads() -> list[Any]:
        out = [
            ddb.get_item(TableName=TABLE, Key=key),
            ddb.query(TableName=TABLE, KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": item["PK"]}, Limit=1),
            ddb.query(TableName=TABLE, IndexName="GSI1", KeyConditionExpression="G = :g",
                      ExpressionAttributeValues={":g": {"S": "x"}}, ReturnConsumedCapacity="TOTAL"),
            ddb.scan(TableName=TABLE),
            ddb.batch_get_item(RequestItems={TABLE: {"Keys": [key]}}),
            ddb.transact_get_items(TransactItems=[{"Get": {"TableName": TABLE, "Key": key}}]),
        ]  # fmt: skip
        for response in out:
            response.pop("ResponseMetadata")
        return out

    fast = reads()
    fast_item_responses(enabled=False)
    try:
        assert reads() == fast
    finally:
        fast_item_responses()


def test_sqs_with_its_cheaper_clock_still_delays_hides_and_expires_messages() -> None:
    import time

    import boto3
    from moto import mock_aws

    cheap_sqs()
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        url = sqs.create_queue(QueueName=f"clock-{time.time_ns()}")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=1)
        sqs.send_message(QueueUrl=url, MessageBody="now")

        def receive() -> list[str]:
            return [
                m["Body"]
                for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=1).get(
                    "Messages", []
                )
            ]

        assert receive() == ["now"]  # the delayed one is not yet visible
        assert receive() == []  # and "now" is hidden for its visibility timeout
        time.sleep(1.2)
        assert sorted(receive()) == ["later", "now"]
        counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert counts["ApproximateNumberOfMessagesNotVisible"] == "2"
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"MessageRetentionPeriod": "60"})
        sqs.send_message(QueueUrl=url, MessageBody="kept")
        assert "kept" in receive()


@pytest.fixture(scope="module")
def served() -> Iterator[Any]:
    """moto's server as the local stack runs it: its own process, served by waitress."""
    import boto3

    from report_tracker.local.stack import MotoProcess, free_port

    server = MotoProcess(free_port())
    server.start()

    def client(service: str) -> Any:
        return boto3.client(
            service,
            region_name="us-east-1",
            endpoint_url=f"http://127.0.0.1:{server.port}",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    try:
        yield client
    finally:
        server.stop()


def test_metadata_names_with_underscores_survive_the_server(served: Any) -> None:
    s3 = served("s3")
    s3.create_bucket(Bucket="meta")
    s3.put_object(Bucket="meta", Key="k", Body=b"x", Metadata={"doc_type": "shufa", "entity": "e"})
    assert s3.head_object(Bucket="meta", Key="k")["Metadata"] == {"doc_type": "shufa", "entity": "e"}


def test_concurrent_receives_never_hand_one_message_to_two_consumers(served: Any) -> None:
    import threading

    sqs = served("sqs")
    url = sqs.create_queue(QueueName="atomic")["QueueUrl"]
    for k in range(0, 600, 10):
        sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": str(k + i)} for i in range(10)]
        )
    received: list[str] = []
    errors: list[Exception] = []

    def consume() -> None:
        client = served("sqs")
        try:
            while True:
                got = client.receive_message(
                    QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=300
                ).get("Messages", [])
                if not got:
                    return
                received.extend(m["Body"] for m in got)
        except Exception as exc:  # a 500 from the server would end up here after retries
            errors.append(exc)

    consumers = [threading.Thread(target=consume) for _ in range(16)]
    for c in consumers:
        c.start()
    for c in consumers:
        c.join()
    assert errors == []
    assert sorted(received, key=int) == [str(i) for i in range(600)]  # each exactly once


def test_a_long_poll_does_not_hold_up_the_send_it_waits_for(served: Any) -> None:
    import threading

    sqs = served("sqs")
    url = sqs.create_queue(QueueName="poll")["QueueUrl"]
    got: list[str] = []
    poll = threading.Thread(
        target=lambda: got.extend(
            m["Body"]
            for m in served("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
        )
    )
    poll.start()
    sqs.send_message(QueueUrl=url, MessageBody="while polling")
    poll.join()
    assert got == ["while polling"]

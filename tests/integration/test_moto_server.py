"""The local stand-in's correction to moto: cheap transaction snapshots must still roll back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from report_tracker.local.moto_server import cheap_transaction_snapshots, partition_queries


@pytest.fixture
def ddb() -> Iterator[Any]:
    import boto3
    from moto import mock_aws

    cheap_transaction_snapshots()
    partition_queries()
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

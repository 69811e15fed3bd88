"""The data-access layer's plumbing: the DynamoDB attribute-value codec and lazily created clients."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report_tracker.dal.table import _KEY_ATTRS, _dump, _load

_json = st.recursive(
    st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k not in _KEY_ATTRS), _json))
def test_items_round_trip_with_their_types(item: dict[str, object]) -> None:
    assert _load(_dump(item)) == item
    # bool is an int in Python but must come back as a bool, and an integral float as a float
    for key, value in _load(_dump(item)).items():
        assert type(value) is type(item[key])


def test_wire_shapes_are_dynamodb_attribute_values() -> None:
    assert _dump({"a": 1, "b": True, "c": "x", "d": [1.5], "e": {"f": -2}, "g": None}) == {
        "a": {"N": "1"},
        "b": {"BOOL": True},
        "c": {"S": "x"},
        "d": {"L": [{"N": "1.5"}]},
        "e": {"M": {"f": {"N": "-2"}}},
    }


@pytest.mark.parametrize("bad", [math.nan, math.inf, b"bytes", {1, 2}])
def test_values_dynamodb_cannot_hold_are_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        _dump({"a": bad})


def test_a_store_client_is_created_by_its_first_call_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from report_tracker.dal import clients

    created: list[tuple[str, str, str | None]] = []

    class Fake:
        def get_item(self, **kwargs: object) -> dict[str, object]:
            return {"Item": kwargs}

    def fake_client(service: str, region: str, endpoint_url: str | None = None) -> Fake:
        created.append((service, region, endpoint_url))
        return Fake()

    monkeypatch.setattr(clients, "client", fake_client)
    s3, ddb = clients.LazyClient("s3", "us-east-1"), clients.LazyClient("dynamodb", "us-east-1", "http://x")
    assert created == []  # building the stores creates no client
    assert ddb.get_item(Key=1) == {"Item": {"Key": 1}}
    assert created == [("dynamodb", "us-east-1", "http://x")]  # only the one used
    del s3

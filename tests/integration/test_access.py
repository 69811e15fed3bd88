"""Who may call which route: the scope table every route must be in, enforced by the gate for
local tokens and JWT scopes alike, and the template's authorizer asking for the same scopes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from report_tracker.api.access import ROUTE_SCOPES, Scope
from report_tracker.api.app import create_app
from report_tracker.errors import NotFound
from report_tracker.local.stack import FakeContext, http_api_event
from report_tracker.local.template import load_template
from tests.conftest import ROOT

READER, WRITER = "reader-token", "writer-token"
# A value for each path parameter, so every route can be called.
SAMPLE_PARAMS = {"entity": "青石镇", "year": "2024", "number": "1", "name": "app.js", "upload_id": "0" * 32}


def _nothing_stored() -> Any:
    raise NotFound("nothing is stored in this test")


def _app(**tokens: Any) -> Any:
    return create_app(_nothing_stored, **tokens)


def _concrete(route: str) -> str:
    return re.sub(r"<(\w+)>", lambda m: SAMPLE_PARAMS[m.group(1)], route)


def _status(app: Any, method: str, path: str, authorization: str | None = None, jwt: Any = None) -> int:
    headers = {"authorization": authorization} if authorization else {}
    body = b'{"entity": "\\u9752\\u77f3\\u9547", "year": 2024, "filename": "a.txt", "size": 10}'
    event = http_api_event(method, path, {"content-type": "application/json", **headers}, body, "127.0.0.1")
    if jwt is not None:
        event["requestContext"]["authorizer"] = {"jwt": jwt}
    return int(app.resolve(event, FakeContext("ApiFunction", 29))["statusCode"])


def _routes(app: Any) -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in [*app._static_routes, *app._dynamic_routes]}


def test_every_route_declares_its_scope() -> None:
    # A new route with no line in ROUTE_SCOPES fails here (and is refused as a write at run time)
    app = _app()
    undeclared = _routes(app) - set(ROUTE_SCOPES)
    assert not undeclared, f"routes with no scope in api/access.py: {sorted(undeclared)}"
    # ... and the table names no route that does not exist (Swagger's /docs registers on first use)
    assert set(ROUTE_SCOPES) - _routes(app) == {("GET", "/docs")}
    writes = {route for route, scope in ROUTE_SCOPES.items() if scope is Scope.WRITE}
    assert writes == {("POST", "/uploads"), ("PUT", "/uploads/<upload_id>/metadata")}
    assert all(method != "GET" for method, _ in writes) and all(
        method == "GET" for (method, _), scope in ROUTE_SCOPES.items() if scope is not Scope.WRITE
    )


@pytest.mark.parametrize(("method", "route"), sorted(r for r in ROUTE_SCOPES if r[1] != "/docs"))
def test_each_route_answers_its_scope_only(method: str, route: str) -> None:
    app = _app(local_token=READER, write_token=WRITER)
    path = _concrete(route)
    scope = ROUTE_SCOPES[(method, route)]
    none = _status(app, method, path)
    reader = _status(app, method, path, f"Bearer {READER}")
    writer = _status(app, method, path, f"bearer {WRITER}")
    wrong = _status(app, method, path, "Bearer guessed")
    if scope is Scope.PUBLIC:
        assert none not in (401, 403)
        return
    assert none == 401 and wrong == 401
    assert writer not in (401, 403)
    if scope is Scope.WRITE:
        assert reader == 403
    else:
        assert reader not in (401, 403)


def test_one_token_alone_reads_and_writes_and_a_write_token_alone_leaves_reading_open() -> None:
    single = _app(local_token=READER)
    assert _status(single, "POST", "/uploads", f"Bearer {READER}") not in (401, 403)
    assert _status(single, "GET", "/health") == 401
    writes_guarded = _app(write_token=WRITER)
    assert _status(writes_guarded, "GET", "/health") == 200
    assert _status(writes_guarded, "POST", "/uploads") == 401
    assert _status(writes_guarded, "POST", "/uploads", f"Bearer {WRITER}") not in (401, 403)


def test_jwt_scopes_are_checked_again_by_the_api() -> None:
    # Given an API behind the JWT authorizer (no local tokens): the token's scopes decide
    app = _app()
    read = {"claims": {"sub": "u1", "scope": "openid reports/read"}, "scopes": None}
    write = {"claims": {"sub": "u2"}, "scopes": ["reports/write"]}
    nothing = {"claims": {"sub": "u3", "scope": "openid"}}
    assert _status(app, "GET", "/health", jwt=read) == 200
    assert _status(app, "POST", "/uploads", jwt=read) == 403
    assert _status(app, "PUT", f"/uploads/{'0' * 32}/metadata", jwt=read) == 403
    assert _status(app, "POST", "/uploads", jwt=write) not in (401, 403)
    assert _status(app, "GET", "/health", jwt=write) == 200  # an uploader reads what it uploads
    assert _status(app, "GET", "/health", jwt=nothing) == 403
    assert _status(app, "GET", "/", jwt=nothing) == 200


def test_refusals_speak_the_clients_language() -> None:
    app = _app(local_token=READER, write_token=WRITER)
    event = http_api_event(
        "POST",
        "/uploads",
        {"authorization": f"Bearer {READER}", "accept-language": "zh-CN,zh;q=0.9,en;q=0.5"},
        b"{}",
        "127.0.0.1",
    )
    result = app.resolve(event, FakeContext("ApiFunction", 29))
    assert result["statusCode"] == 403 and '"title":"无权操作"' in result["body"].replace(" ", "")
    assert result["headers"]["Content-Language"] == "zh"
    event["headers"]["accept-language"] = "en-GB,en;q=0.8"
    assert '"Forbidden"' in app.resolve(event, FakeContext("ApiFunction", 29))["body"]


def test_the_template_asks_for_the_same_scopes() -> None:
    resources = load_template(ROOT / "template.yaml")["Resources"]
    events = resources["JwtApiFunction"]["Properties"]["Events"]
    by_route = {
        (e["Properties"]["Method"].upper(), e["Properties"]["Path"]): e["Properties"] for e in events.values()
    }
    for (method, route), scope in ROUTE_SCOPES.items():
        if scope is not Scope.WRITE:
            continue
        path = re.sub(r"<(\w+)>", r"{\1}", route)
        assert by_route[(method, path)]["Auth"]["AuthorizationScopes"] == [Scope.WRITE.value], (method, path)
    assert set(by_route[("ANY", "/{proxy+}")]["Auth"]["AuthorizationScopes"]) == {
        Scope.READ.value,
        Scope.WRITE.value,
    }
    # Only the uploader role and the API (whose presigned URLs sign as its role) put report files
    statements = resources["RawBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (only,) = [s for s in statements if s.get("Sid") == "OnlyTheUploaderPuts"]
    assert only["Effect"] == "Deny" and only["Action"] == "s3:PutObject"
    assert "ArnNotLike" in only["Condition"]
    reader = resources["ReaderPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert reader["Action"] == "execute-api:Invoke" and "/*/GET/*" in str(reader["Resource"])

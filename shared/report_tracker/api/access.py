"""Who may call which route: every route declares a scope here, and a route that does not
fails tests/integration/test_api_routes.py (and is refused at run time as a write).

Locally the scopes come from bearer tokens (``serve --token READ --write-token WRITE``); on AWS
the template's JWT authorizer checks them per route and the API checks them again from the
token's ``scope`` claim, so a route left out of the template's write list still cannot write.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Scope(StrEnum):
    PUBLIC = "public"
    READ = "reports/read"
    WRITE = "reports/write"


# (method, route as registered) -> the scope it needs.
ROUTE_SCOPES: dict[tuple[str, str], Scope] = {
    ("GET", "/"): Scope.PUBLIC,
    ("GET", "/static/<name>"): Scope.PUBLIC,
    ("GET", "/health"): Scope.READ,
    ("GET", "/openapi.json"): Scope.READ,
    ("GET", "/docs"): Scope.READ,
    ("GET", "/entities"): Scope.READ,
    ("GET", "/entities/<entity>"): Scope.READ,
    ("GET", "/entities/<entity>/reports"): Scope.READ,
    ("GET", "/entities/<entity>/reports/<year>"): Scope.READ,
    ("GET", "/entities/<entity>/reports/<year>/versions"): Scope.READ,
    ("GET", "/entities/<entity>/reports/<year>/versions/<number>"): Scope.READ,
    ("GET", "/entities/<entity>/reports/<year>/diff"): Scope.READ,
    ("GET", "/entities/<entity>/reports/<year>/export"): Scope.READ,
    ("GET", "/entities/<entity>/reports/<year>/recycled"): Scope.READ,
    ("GET", "/entities/<entity>/yoy"): Scope.READ,
    ("GET", "/entities/<entity>/timeline"): Scope.READ,
    ("GET", "/entities/<entity>/feed"): Scope.READ,
    ("GET", "/feed"): Scope.READ,
    ("GET", "/search"): Scope.READ,
    ("GET", "/dataset"): Scope.READ,
    ("GET", "/years/<year>/templates"): Scope.READ,
    ("GET", "/uploads"): Scope.READ,
    ("POST", "/uploads"): Scope.WRITE,
    ("PUT", "/uploads/<upload_id>/metadata"): Scope.WRITE,
}


def required_scope(method: str, route: str | None) -> Scope:
    """An undeclared route is a write (deny by default); no route at all (404/405) needs a reader."""
    if route is None:
        return Scope.READ
    return ROUTE_SCOPES.get((method.upper(), route), Scope.WRITE)


@dataclass(frozen=True)
class Tokens:
    """The local server's bearer tokens. With only ``read``, that token may do everything (one
    token, as before roles); with only ``write``, reading is open and writing needs it."""

    read: str | None = None
    write: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.read or self.write)

    @property
    def anonymous(self) -> frozenset[Scope]:
        """What a caller with no token may do: reading too when only a writer's token is set."""
        return frozenset({Scope.PUBLIC} if self.read else {Scope.PUBLIC, Scope.READ})

    def granted(self, authorization: str | None) -> frozenset[Scope] | None:
        """The scopes of a caller who sent one of the tokens; None for anyone else."""
        given = _bearer(authorization)
        if given is not None and self.write and _same(given, self.write):
            return frozenset(Scope)
        if given is not None and self.read and _same(given, self.read):
            return frozenset(Scope) if not self.write else frozenset({Scope.PUBLIC, Scope.READ})
        return None


def jwt_scopes(request_context: Mapping[str, Any]) -> frozenset[Scope] | None:
    """Scopes of a JWT the API Gateway authorizer accepted (``scope`` claim or ``scopes`` list);
    None when the request came without one (IAM, or no authorizer)."""
    jwt = ((request_context.get("authorizer") or {}).get("jwt")) or None
    if not isinstance(jwt, Mapping):
        return None
    names = set(jwt.get("scopes") or [])
    claim = (jwt.get("claims") or {}).get("scope")
    if isinstance(claim, str):
        names.update(claim.split())
    if Scope.WRITE.value in names:
        return frozenset(Scope)  # an uploader reads what it uploads
    return frozenset({Scope.PUBLIC, Scope.READ} if Scope.READ.value in names else {Scope.PUBLIC})


def _bearer(header: str | None) -> str | None:
    """``Bearer <token>``, the scheme in any case."""
    scheme, _, given = (header or "").strip().partition(" ")
    return given.strip() if scheme.lower() == "bearer" and given.strip() else None


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())

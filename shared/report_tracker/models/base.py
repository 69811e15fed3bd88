"""The base of every stored or served shape."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Shape(BaseModel):
    # Validators and serializers are built on first use, not at import: a cold start pays only
    # for the shapes its request touches (the API serves some forty; a request uses a few).
    model_config = ConfigDict(defer_build=True)

"""Shared fixtures: where the corpus is, and the expectations that come with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EVENTS = ROOT / "events"
SAMPLES = ROOT / "samples"


def corpus_available() -> bool:
    return (CORPUS / "expected" / "seeds.json").is_file()


needs_corpus = pytest.mark.skipif(
    not corpus_available(), reason="../shared/corpus is not beside this checkout"
)


@pytest.fixture(scope="session")
def seeds() -> dict[str, Any]:
    if not corpus_available():
        pytest.skip("../shared/corpus is not beside this checkout")
    data: dict[str, Any] = json.loads((CORPUS / "expected" / "seeds.json").read_text(encoding="utf-8"))[
        "reports"
    ]
    return data


def seed_bytes(name: str) -> bytes:
    return (CORPUS / "seeds" / name).read_bytes()


def state_council_files() -> list[Path]:
    return sorted((CORPUS / "state-council").glob("*.txt")) if corpus_available() else []


def load_event(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return data


def crash_on_poison(service: Any, monkeypatch: pytest.MonkeyPatch, message: str = "parser crashed") -> None:
    """Make ``service``'s parser raise on files starting with POISON (a bug, not bad input)."""
    real = service._reader

    def crashing(data: bytes, hints: Any) -> Any:
        if data.startswith(b"POISON"):
            raise RuntimeError(message)
        return real(data, hints)

    monkeypatch.setattr(service, "_reader", crashing)

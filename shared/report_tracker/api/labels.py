"""The one catalogue of words for raw values (statuses, document types, section kinds, ...).

``static/labels.json`` is served to the viewer and read here for the CSV/Markdown exports and
the problem titles, so the page and a download never name a status differently.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, dict[str, str]]]:
    text = (files("report_tracker.api") / "static" / "labels.json").read_text(encoding="utf-8")
    loaded: dict[str, dict[str, dict[str, str]]] = json.loads(text)
    return loaded


def label(lang: Language, group: str, value: str) -> str:
    """The word for ``value``; the raw value itself where the catalogue has none."""
    return catalogue()[lang].get(group, {}).get(value, value)


def reason_words(lang: Language, reason: str) -> str:
    """A verdict's reason is ``rule: explanation``: the rule named in words, the rest as given."""
    rule, sep, rest = reason.partition(": ")
    return f"{label(lang, 'rule', rule)}{sep}{rest}" if sep else label(lang, "rule", reason)


def preferred(accept_language: str | None) -> Language | None:
    """The first of our languages in an Accept-Language header, by its q-values; None if neither."""
    ranked: list[tuple[float, int, Language]] = []
    for n, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > 0:
            ranked.append((-q, n, "zh" if primary == "zh" else "en"))
    return min(ranked)[2] if ranked else None

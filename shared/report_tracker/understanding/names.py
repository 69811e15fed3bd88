"""Entity names as keys: one spelling per government, nothing a key or a URL cannot carry."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 40
_CJK = re.compile(r"[\u3400-\u9fff]")


class InvalidName(ValueError):
    """A name that cannot be an entity key; the message says why, for a person to fix."""


def clean_entity_name(name: str) -> str:
    """NFKC, no control or invisible characters (zero-width, direction marks), spaces dropped.

    Raises ``InvalidName`` for what is left unusable: too short or long, a path separator, no
    Chinese at all.
    """
    folded = unicodedata.normalize("NFKC", name)
    kept = "".join(
        ch for ch in folded if unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}
    )
    kept = re.sub(r"\s+", "", kept)
    if not kept:
        raise InvalidName("it is empty once invisible characters and spaces are removed")
    if "/" in kept or "\\" in kept:
        raise InvalidName(f"{kept!r} holds a path separator")
    if len(kept) > MAX_NAME_CHARS:
        raise InvalidName(
            f"it is {len(kept)} characters long; a government's name has at most {MAX_NAME_CHARS}"
        )
    if len(kept) < 2 or not _CJK.search(kept):
        raise InvalidName(f"{kept!r} is not a Chinese government's name")
    return kept

"""Near-duplicate signatures of a report's passages: MinHash (rensa) cut into LSH bands.

Recycled text is copied a passage at a time (a county template filled in by each township, a
neighbour's paragraph), so each passage (a paragraph, or a run of its sentences up to
``MAX_PASSAGE`` characters) gets a signature of its own rather than the report as a whole: a
report that copies a third of another has passages alike at Jaccard ~0.9, while the two whole
texts would be ~0.2 and never meet. Before hashing, figures and the entity's own name are masked
(``masked``), so 我镇/青石镇 共开展12场 and 白沙乡 共开展9场 are the same passage.

``BANDS`` bands of ``ROWS`` MinHash values: two passages of Jaccard similarity s share at least one
band with probability 1 - (1 - s^ROWS)^BANDS: 0.99 at s = 0.8, 0.40 at 0.5, 0.06 at 0.3. A band
key is one integer, and it folds in the scope (review year and document type) along with the
band's number, so a key's holders are exactly the alike passages of reports one would compare:
candidates are an index lookup, whatever the size of the archive.
"""

from __future__ import annotations

import hashlib
import re

from rensa import RMinHash

SHINGLE = 5
BANDS = 8
ROWS = 4
SEED = 20261204
MIN_PASSAGE = 20  # characters, masked and without spaces: shorter lines are headings
MAX_PASSAGE = 300

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def masked(text: str, entity: str) -> str:
    """``text`` without spaces, its figures as # and the entity's own name (with or without its
    镇/乡/县/区/市/省) as 某: equal for the same template sentence filled in by two entities."""
    out = text.replace(entity, "某") if entity else text
    short = entity[:-1] if len(entity) > 2 and entity[-1] in "镇乡县区市省" else ""
    if short:
        out = out.replace(short, "某")
    return _DIGITS.sub("#", _SPACE.sub("", out))


def passages(text: str, entity: str) -> list[str]:
    """The masked passages of ``text`` worth a signature, in order."""
    out: list[str] = []
    for line in text.splitlines():
        piece = ""
        for sentence in _SENTENCE_END.split(masked(line, entity)):
            if piece and len(piece) + len(sentence) > MAX_PASSAGE:
                out.append(piece)
                piece = ""
            piece += sentence
        if piece:
            out.append(piece)
    return [p for p in out if len(p) >= MIN_PASSAGE]


def band_keys(passage: str, scope: str = "") -> list[int]:
    """The passage's ``BANDS`` LSH keys: signed 63-bit integers (what SQLite stores), the scope and
    the band's number folded in, so equal values in another scope or band never meet."""
    minhash = RMinHash(num_perm=BANDS * ROWS, seed=SEED)
    minhash.update([passage[i : i + SHINGLE] for i in range(len(passage) - SHINGLE + 1)])
    digest = minhash.digest()
    keys = []
    for band in range(BANDS):
        values = digest[band * ROWS : (band + 1) * ROWS]
        raw = hashlib.blake2b(f"{scope}:{band}:{values}".encode(), digest_size=8).digest()
        keys.append(int.from_bytes(raw, "big", signed=True) >> 1)
    return keys


def signatures(text: str, entity: str, scope: str = "") -> list[list[int]]:
    """Band keys of each passage of ``text``, in order."""
    return [band_keys(p, scope) for p in passages(text, entity)]

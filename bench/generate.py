"""Deterministic benchmark data: realistic variations of the project's own sample reports.

Different towns and counties, years, figures and edits (a sentence dropped, a figure changed,
a hedge inserted), from a seeded generator, so every run measures the same inputs.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
_SYLLABLES = "青白红黑金银石山河湖松柏桃李梅兰竹溪泉岭峰田桥塘坪坝湾沟"
_COUNTIES = ["云岭县", "清河县", "南山区", "北湖区", "东坪县", "西溪县"]
_TEMPLATES = ["qingshi-2023.txt", "qingshi-2024.txt", "baisha-2023.txt", "baisha-2024.txt"]


def town_names(n: int, seed: int = 7) -> list[str]:
    possible = 2 * (len(_SYLLABLES) * (len(_SYLLABLES) - 1)) * (1 + len(_SYLLABLES))
    if n > 0.9 * possible:  # the last names would take ever longer to draw
        raise ValueError(f"{n} town names asked for; the syllables make {possible}")
    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3))))  # 2 or 3 characters
        name = stem + rng.choice("镇乡")
        if name not in seen and name[0] != name[1]:
            seen.add(name)
            names.append(name)
    return names


def _vary_figures(text: str, rng: random.Random) -> str:
    def bump(m: re.Match[str]) -> str:
        value = int(m.group(1))
        return str(max(1, int(value * rng.uniform(0.7, 1.4)))) + m.group(2)

    return re.sub(r"(\d{1,4})(场|次|名|件|份|人次|条)", bump, text)


def report_text(town: str, county: str, year: int, rng: random.Random) -> str:
    template = (SAMPLES / rng.choice(_TEMPLATES)).read_text(encoding="utf-8")
    template = re.sub(r"^云岭县(青石镇|白沙乡)", county + town, template)
    template = (
        template.replace("青石镇", town)
        .replace("白沙乡", town)
        .replace("青石", town[:-1])
        .replace("白沙", town[:-1])
    )
    base_year = 2024 if "2024年度" in template or "2024年法治" in template else 2023
    template = template.replace(str(base_year + 1), str(year + 1)).replace(str(base_year), str(year))
    return _vary_figures(template, rng)


def edit(text: str, rng: random.Random, share: float = 0.1) -> str:
    """About ``share`` of the sentences changed: dropped, figures altered or hedged."""
    sentences = re.split(r"(?<=[。；])", text)
    out = []
    for sentence in sentences:
        roll = rng.random()
        if roll < share / 3 and len(sentence) > 10:
            continue
        changed = sentence
        if roll < 2 * share / 3:
            changed = re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(1, 9)), sentence, count=1)
        elif roll < share:
            changed = sentence.replace("全年", "力争全年", 1).replace("完成", "基本完成", 1)
        out.append(changed)
    return "".join(out)


def corpus(n: int, seed: int = 11, *, county_templates: bool = False) -> list[tuple[str, int, str]]:
    """``n`` reports: (town, review year, text); towns get two to four consecutive years.

    With ``county_templates``, about twenty towns (sixty reports) to a county, and each county's reports of a year
    carry the same edits (its own version of the template), as real county-issued templates do.
    """
    rng = random.Random(seed)
    towns = town_names((n + 1) // 2)  # each town files two to four years; names come in a fixed order
    counties = (
        [name[:-1] + "县" for name in town_names(max(6, n // 60), seed=seed + 1)]
        if county_templates
        else _COUNTIES
    )
    out: list[tuple[str, int, str]] = []
    for town in towns:
        county = rng.choice(counties)
        start = rng.randint(2020, 2022)
        for year in range(start, start + rng.randint(2, 4)):
            text = report_text(town, county, year, rng)
            if county_templates:
                text = edit(text, random.Random(f"{county}{year}"), share=0.3)
            out.append((town, year, text))
            if len(out) == n:
                return out
    return out


def large_text(target_bytes: int, seed: int = 3) -> str:
    """A long report (for the 20 MB memory check): many measure items under one structure."""
    rng = random.Random(seed)
    parts = ["云岭县青石镇人民政府关于2024年度法治政府建设情况的报告", "一、推进法治政府建设的主要举措和成效"]
    size = 0
    k = 0
    while size < target_bytes:
        k += 1
        paragraph = next(
            ln
            for ln in (SAMPLES / "qingshi-2024.txt").read_text(encoding="utf-8").split("\n")
            if ln.startswith("（一）")
        )
        item = f"{k}." + edit(paragraph[3:], rng, 0.3)
        parts.append(item)
        size += len(item.encode("utf-8"))
    return "\n".join(parts)

"""Probes that stand in for reports we do not have: the dev texts re-titled, re-formatted and crossed.

The dev labels measure six provincial and four township pairs; the archive is judged on reports
it has never seen. These probes re-read the same real texts the ways other reports differ from
them, and print how often the reading or the verdicts change where they should not:

- identity: each township text filed under other real township names, in two title forms;
- stability: each township pair with either report hard-wrapped, paged, flattened or in
  half-width punctuation (the verdicts should not move);
- negative control: each township's plans against another township's next report (a
  ``fulfilled`` there rests on generic wording, another programme or another place).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

from report_tracker.models.report import Report, SectionKind, UploadHints
from report_tracker.parse import read_report
from report_tracker.tracking.compare import compare

# Real township names, several of which look like words of the genre (集镇, 城镇, 建设)
OTHER_NAMES = ("王集镇", "古城镇", "新市镇", "长街镇", "城关镇", "城厢镇", "城南街道", "马集乡", "石城镇",
               "龙城街道", "全州镇", "新城镇", "城阳街道", "建设路街道", "中山路街道", "白花镇", "年丰镇")  # fmt: skip


def _read(text: str) -> Report:
    return read_report(text.encode("utf-8"), UploadHints(filename="probe.txt"))


def _pairs(township: Path) -> list[tuple[Path, Path]]:
    files = sorted(township.glob("*.txt"))
    by_entity: dict[str, list[Path]] = {}
    for f in files:
        by_entity.setdefault(re.sub(r"\d{4}$", "", f.stem), []).append(f)
    return [(a, b) for fs in by_entity.values() for a, b in pairwise(fs)]


def _body(text: str) -> str:
    """The text from its first sentence of prose on: the title and addressee lines cut off."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if len(line) > 40 and "，" in line), 0)
    return "\n".join(lines[first:])


def identity_under_other_names(township: Path) -> tuple[int, int, list[str]]:
    right = total = 0
    wrong: list[str] = []
    for path in sorted(township.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        report = _read(text)
        own, year = report.entity, report.review_year
        if not own or not year or not own.endswith(("镇", "乡", "街道")):
            continue
        body = _body(text)
        for name in OTHER_NAMES:
            org = name + ("办事处" if name.endswith("街道") else "人民政府")
            for title in (
                f"{org}关于{year}年度法治政府建设情况的报告",
                f"{name}{year}年法治政府建设工作报告",
            ):
                got = _read(title + "\n" + body.replace(own, name))
                total += 1
                if (got.entity, got.review_year) == (name, year):
                    right += 1
                else:
                    wrong.append(f"{name} ({path.stem}): {got.entity}")
    return right, total, wrong


def _variants(text: str) -> Iterator[tuple[str, str]]:
    lines = text.splitlines()
    yield (
        "hard-wrapped",
        "\n".join(line[i : i + 28] for line in lines for i in range(0, max(len(line), 1), 28)),
    )
    yield (
        "paged",
        "\n".join(line + (f"\n- {i // 20 + 1} -" if i % 20 == 19 else "") for i, line in enumerate(lines)),
    )
    yield "flattened", re.sub(r"\s*\n\s*", "", text)
    half = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")"})
    yield "half-width", text.translate(half)


def _heading_line(report: Report, kind: SectionKind) -> tuple[int, int] | None:
    """(start, end) of the line that heads the first section of ``kind``, where it is one."""
    section = next((s for s in report.sections if s.kind == kind), None)
    if section is None:
        return None
    end = report.text.find("\n", section.start)
    end = len(report.text) if end < 0 else end
    line = report.text[section.start : end]
    return (section.start, end) if section.heading and section.heading in line and len(line) <= 40 else None


def _relaid(report: Report) -> Iterator[tuple[str, str]]:
    """The report's text with its problems and plans headed other ways the genre heads them."""
    text = report.text
    problems, plans = _heading_line(report, SectionKind.PROBLEMS), _heading_line(report, SectionKind.PLANS)
    if problems is None or plans is None or not problems[1] < plans[0]:
        return

    def headed(problems_line: str, plans_line: str) -> str:
        (a, b), (c, d) = problems, plans
        return text[:a] + problems_line + text[b:c] + plans_line + text[d:]

    plans_line = text[plans[0] : plans[1]]
    yield "bare headings", headed("存在的问题和不足", "下一步工作打算")
    yield "problems unnumbered", headed("存在的问题", plans_line)
    # the problems told in one paragraph of the review, their numbers dropped, with no heading
    body = text[problems[1] + 1 : plans[0]].strip("\n").split("\n")
    told = "".join(_NUMBER.sub("", line) for line in body)
    yield (
        "problems in the review",
        text[: problems[0]] + "同时，我们也清醒地认识到，" + told + "\n" + text[plans[0] :],
    )


_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．](?!\d))"
)


def layouts(township: Path) -> tuple[int, int, list[str]]:
    """How often a township report re-headed (bare headings, the problems unnumbered or told in the
    review) gives the same commitments and problems as it does as written."""
    from report_tracker.tracking.commitments import commitments  # noqa: PLC0415
    from report_tracker.tracking.problems import problem_units  # noqa: PLC0415

    right = total = 0
    wrong: list[str] = []
    for path in sorted(township.glob("*.txt")):
        report = _read(path.read_text(encoding="utf-8"))
        want = ([c.text for c in commitments(report)], [u.text for u in problem_units(report)])
        for name, text in _relaid(report):
            got = _read(text)
            total += 1
            if ([c.text for c in commitments(got)], [u.text for u in problem_units(got)]) == want:
                right += 1
            else:
                wrong.append(f"{path.stem}: {name}")
    return right, total, wrong


def _verdicts(earlier: Report, later: Report) -> dict[str, str]:
    return {v.text: v.status.value for v in compare(earlier, later).commitments}


def stability(township: Path) -> tuple[int, int, Counter[str]]:
    changed = total = 0
    by_variant: Counter[str] = Counter()
    for a, b in _pairs(township):
        texts = {p: p.read_text(encoding="utf-8") for p in (a, b)}
        read = {p: _read(t) for p, t in texts.items()}
        base = _verdicts(read[a], read[b])
        for side in (a, b):
            for name, variant in _variants(texts[side]):
                altered = {**read, side: _read(variant)}
                got = _verdicts(altered[a], altered[b])
                moved = sum(1 for k in set(base) | set(got) if base.get(k) != got.get(k))
                total += len(base)
                changed += moved
                by_variant[name] += moved
    return changed, total, by_variant


def negative_control(township: Path) -> tuple[Counter[str], Counter[str]]:
    """Verdict counts of each pair (own) and of each earlier report against the others' later ones."""
    pairs = _pairs(township)
    read = {p: _read(p.read_text(encoding="utf-8")) for pair in pairs for p in pair}
    own: Counter[str] = Counter()
    cross: Counter[str] = Counter()
    for a, b in pairs:
        own.update(_verdicts(read[a], read[b]).values())
        for _, other in pairs:
            if other != b:
                cross.update(_verdicts(read[a], read[other]).values())
    return own, cross


def report(corpus: Path) -> None:
    township = corpus / "dev" / "township"
    right, total, wrong = identity_under_other_names(township)
    print(
        f"identity under other real township names: {right}/{total} right"
        + (f"; wrong: {wrong[:4]}" if wrong else "")
    )
    right, total, wrong = layouts(township)
    print(
        f"problems and plans headed other ways (bare, unnumbered, told in the review): {right}/{total} read the same"
        + (f"; not: {wrong[:4]}" if wrong else "")
    )
    changed, total, by_variant = stability(township)
    print(
        f"verdict stability (hard-wrapped, paged, flattened, half-width): {changed} of {total} changed {dict(by_variant)}"
    )
    own, cross = negative_control(township)

    def share(c: Counter[str]) -> str:
        n = sum(c.values())
        return f"fulfilled {c['fulfilled']}/{n} ({c['fulfilled'] / max(n, 1):.0%}), partial {c['partial']}"

    print(
        f"negative control, plans against another township's next report: {share(cross)}; own pairs: {share(own)}"
    )

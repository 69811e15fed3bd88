"""Agreement of the year-over-year verdicts with hand labels (``make eval``).

Prints, in order: identity right over the provincial texts (the corpus's own ``identity.py``),
texts with no plans items and bundled commitments, the dev pairs scored by the corpus's own
``score.py`` (provincial and township/county), and the State Council targets against our own
``eval/state_council_labels.json``. With ``--sweep`` (``make sweep``): agreement on the dev labels
for each value of each verdict threshold.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from report_tracker.models.report import Item, UploadHints
from report_tracker.models.tracking import CommitmentStatus
from report_tracker.parse import read_report
from report_tracker.tracking import robustness
from report_tracker.tracking.compare import compare
from report_tracker.tracking.verdicts import Signals


def evaluate(corpus: Path, labels_path: Path) -> dict[str, object]:
    labels = json.loads(labels_path.read_text(encoding="utf-8"))["pairs"]
    reports = {}
    for path in sorted((corpus / "state-council").glob("*.txt")):
        reports[int(path.name[:4])] = read_report(path.read_bytes(), UploadHints(filename=path.name))
    rows: list[dict[str, object]] = []
    for year, expected in labels.items():
        result = compare(reports[int(year)], reports[int(year) + 1])
        for label in expected:
            verdict = next((c for c in result.commitments if c.text.startswith(label["target"])), None)
            got = verdict.status.value if verdict else "missing"
            reported = next((f.reported for f in verdict.figures if f.reported), None) if verdict else None
            figure_ok = label["reported"] is None or (reported is not None and reported in label["reported"])
            rows.append({"year": int(year), "target": label["target"], "expected": label["status"], "got": got,
                         "reported": reported, "figure_ok": figure_ok})  # fmt: skip
    stats: dict[str, dict[str, float]] = {}
    for status in (s.value for s in CommitmentStatus):
        tp = sum(1 for r in rows if r["got"] == status and r["expected"] == status)
        predicted = sum(1 for r in rows if r["got"] == status)
        actual = sum(1 for r in rows if r["expected"] == status)
        stats[status] = {
            "precision": tp / predicted if predicted else float("nan"),
            "recall": tp / actual if actual else float("nan"),
            "support": actual,
        }
    agreement = sum(1 for r in rows if r["got"] == r["expected"]) / len(rows)
    return {"rows": rows, "per_status": stats, "agreement": agreement,
            "figures_right": sum(1 for r in rows if r["figure_ok"]) / len(rows)}  # fmt: skip


def reading_figures(corpus: Path) -> None:
    """Texts with no plans items and commitments holding more than one target figure (provinces)."""
    from report_tracker.tracking.commitments import commitments  # noqa: PLC0415

    no_plans, bundled, total = [], 0, 0
    for path in sorted((corpus / "provinces").glob("*.txt")):
        report = read_report(path.read_bytes(), UploadHints(filename="report.txt"))
        found = commitments(report)
        total += len(found)
        bundled += sum(1 for c in found if len(c.figures) > 1)
        if not found:
            no_plans.append(path.name)
    print(f"provinces: texts with no plans items {len(no_plans)} {no_plans}; "
          f"commitments holding more than one figure {bundled} of {total}")  # fmt: skip


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _labelled(items: list[Item], quote: str) -> Item | None:
    """The commitment a label is about, matched as the corpus's score.py matches it."""
    q = _fold(quote)
    found = next((i for i in items if q in _fold(i.text)), None)
    if found is not None:
        return found

    def common(item: Item) -> int:
        a, b = q, _fold(item.text)
        return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size

    best = max(items, key=common, default=None)
    return best if best is not None and common(best) >= 8 else None


def sweep(corpus: Path) -> None:
    """Agreement on the dev labels for each value of every verdict threshold, one at a time.

    The signals are gathered once per commitment; ``decide`` is re-run per setting, so the
    figures show how sensitive each threshold is (and where a value is a plateau, not a peak).
    """
    from report_tracker.tracking.commitments import commitments  # noqa: PLC0415
    from report_tracker.tracking.compare import Comparer  # noqa: PLC0415
    from report_tracker.tracking.verdicts import Settings, decide  # noqa: PLC0415

    keys = [(corpus / "dev" / "labels.json", corpus / "provinces"),
            (corpus / "dev" / "township" / "labels.json", corpus / "dev" / "township")]  # fmt: skip
    gathered: list[tuple[str, str, Signals]] = []  # (label set, expected status, signals)
    for key, texts in keys:
        for pair in json.loads(key.read_text(encoding="utf-8"))["pairs"]:
            earlier, later = (read_report((texts / pair[f]).read_bytes(), UploadHints(filename="report.txt"))
                              for f in ("from_file", "to_file"))  # fmt: skip
            comparer = Comparer(earlier, later)
            items = commitments(earlier)
            for label in pair["items"]:
                item = _labelled(items, label["commitment"])
                if item is not None:
                    gathered.append((key.parent.name, label["status"], comparer.gather(item).signals))
    grid: dict[str, list[Any]] = {"match": [0.35, 0.4, 0.45, 0.5, 0.55, 0.6], "strong_match": [0.6, 0.65, 0.7, 0.8],
            "anchor_chars": [2, 3, 4, 5, 6, 8], "rate_partial": [0.8, 0.85, 0.9, 0.95],
            "amount_partial": [0.3, 0.4, 0.5, 0.6, 0.7], "min_confidence": [0.2, 0.35, 0.5, 0.6],
            "word_share": [0.5, 0.6, 0.7, 0.8, 1.01], "word_match": [0.25, 0.3, 0.35, 0.4, 0.5],
            "long_anchor": [4, 5, 6, 8, 99], "long_anchor_match": [0.3, 0.35, 0.4, 0.45, 0.5]}  # fmt: skip
    default = Settings()
    print(f"{'setting':<16}{'value':>7}{'dev':>8}{'township':>10}")
    for name, values in grid.items():
        for value in values:
            cfg = replace(default, **{name: value})
            agree: Counter[str] = Counter()
            total: Counter[str] = Counter()
            for group, expected, signals in gathered:
                total[group] += 1
                agree[group] += decide(signals, cfg).status.value == expected
            mark = "  (default)" if getattr(default, name) == value else ""
            print(f"{name:<16}{value:>7}{agree['dev'] / total['dev']:>8.0%}"
                  f"{agree['township'] / total['township']:>10.0%}{mark}")  # fmt: skip


def _run(title: str, cmd: list[str]) -> None:
    print(f"\n== {title}", flush=True)
    subprocess.run(cmd, check=False)  # noqa: S603 - our own scorer scripts, argument lists


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    root = Path(__file__).resolve().parents[3]
    paths = [a for a in args if not a.startswith("--")]
    corpus = Path(paths[0]) if paths else root.parent / "shared" / "corpus"
    if not (corpus / "state-council").is_dir():
        print(f"no corpus at {corpus} (pass its path)", file=sys.stderr)
        return 2
    if "--sweep" in args:
        sweep(corpus)
        return 0
    cli = str(Path(sys.executable).parent / "report-tracker")
    _run("identity, provinces (the corpus's identity.py)", [sys.executable, str(corpus / "expected" / "identity.py"),
                                                           "--", cli, "parse", "--json"])  # fmt: skip
    print("\n== reading")
    reading_figures(corpus)
    _run("year over year, provincial dev pairs (the corpus's score.py)",
         [sys.executable, str(corpus / "dev" / "score.py"), "--", cli, "compare", "--json"])  # fmt: skip
    _run("year over year, township and county dev pairs",
         [sys.executable, str(corpus / "dev" / "score.py"), "--key", str(corpus / "dev" / "township" / "labels.json"),
          str(corpus / "dev" / "township"), "--", cli, "compare", "--json"])  # fmt: skip
    print("\n== robustness: the township texts re-titled, re-formatted and crossed (tracking/robustness.py)")
    robustness.report(corpus)
    print("\n== verdict thresholds, one at a time (agreement on the dev labels; `--sweep` alone)")
    sweep(corpus)
    print("\n== State Council targets (our own labels: a regression check)")
    result = evaluate(corpus, root / "eval" / "state_council_labels.json")
    rows = result["rows"]
    assert isinstance(rows, list)
    print(f"{'year':<6}{'target':<34}{'expected':<14}{'got':<14}reported")
    for r in rows:
        mark = "" if r["got"] == r["expected"] else "  <-- disagrees"
        print(f"{r['year']:<6}{r['target']:<30}{r['expected']:<14}{r['got']:<14}{r['reported'] or '-'}{mark}")
    print()
    print(f"{'status':<14}{'precision':>10}{'recall':>10}{'support':>9}")
    per_status = result["per_status"]
    assert isinstance(per_status, dict)
    for status, s in per_status.items():
        print(f"{status:<14}{s['precision']:>10.2f}{s['recall']:>10.2f}{s['support']:>9}")
    counts = Counter(r["expected"] for r in rows)
    print(f"\nagreement {result['agreement']:.2%} over {len(rows)} labelled targets {dict(counts)}; "
          f"reported figure right {result['figures_right']:.2%}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

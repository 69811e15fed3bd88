"""What changed between two versions of a report: a character diff that reads as phrases.

Chinese has no spaces, so the diff is character-level (diff-match-patch, semantic cleanup).
The C++ build (fast-diff-match-patch) is used when installed, the pure-Python one otherwise,
always with an explicit time limit. A diff that gave up (a whole-text replacement although
most sentences are shared, as happens on reordered paragraphs) is detected and replaced by a
sentence alignment with character diffs inside changed sentences. Deleted text that reappears
elsewhere is reported as moved, not as deleted and re-added.
"""

from __future__ import annotations

import bisect
import difflib
import html
import re
from dataclasses import dataclass

from report_tracker.models.diff import (
    DiffOp,
    DiffStats,
    FigureEdit,
    HedgeChange,
    Reworded,
    SectionChange,
    Significance,
    VersionDiff,
)
from report_tracker.models.report import ItemKind, Report, Section
from report_tracker.understanding.figures import figures_of

DEFAULT_TIME_LIMIT = 1.0
MIN_MOVE_CHARS = 12
_SENTENCE = re.compile(r"[^。！？；\n]*[。！？；\n]?")
# A firm word replaced by a softer one: the publisher quietly lowered the bar.
HEDGES: list[tuple[str, str]] = [
    ("确保", "力争"), ("确保", "争取"), ("确保", "努力"), ("完成", "基本完成"), ("实现", "基本实现"),
    ("全面", "逐步"), ("全部", "部分"), ("必须", "要"), ("达到", "接近"), ("全覆盖", "基本覆盖"),
    ("已经", "正在"), ("建成", "推进建设"), ("100%", "90%以上"),
]  # fmt: skip
_SOFT_WORDS = ("力争", "争取", "基本", "逐步", "适时", "原则上", "努力", "积极推进")


@dataclass
class _Raw:
    op: str
    text: str


def _dmp(a: str, b: str, time_limit: float) -> tuple[list[_Raw], str]:
    try:
        import fast_diff_match_patch  # noqa: PLC0415 - optional C++ build

        ops = fast_diff_match_patch.diff(
            a, b, timelimit=time_limit, checklines=False, cleanup="Semantic", counts_only=False
        )
        return [_Raw({"=": "equal", "-": "delete", "+": "insert"}[o], t) for o, t in ops], "fast-dmp"
    except ImportError:
        from diff_match_patch import diff_match_patch  # noqa: PLC0415

        engine = diff_match_patch()
        engine.Diff_Timeout = time_limit
        diffs = engine.diff_main(a, b, False)
        engine.diff_cleanupSemantic(diffs)
        return [_Raw({0: "equal", -1: "delete", 1: "insert"}[o], t) for o, t in diffs], "dmp"


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s]


class _Sentences:
    """Both texts cut into sentences, and their in-order alignment: computed once per diff."""

    def __init__(self, a: str, b: str) -> None:
        self.a, self.b = _sentences(a), _sentences(b)
        self.shared_chars = sum(len(x) for x in set(self.a) & set(self.b))
        self._matcher: difflib.SequenceMatcher[str] | None = None

    @property
    def matcher(self) -> difflib.SequenceMatcher[str]:
        if self._matcher is None:
            self._matcher = difflib.SequenceMatcher(a=self.a, b=self.b, autojunk=False)
        return self._matcher


def _degenerate(a: str, b: str, ops: list[_Raw], sentences: _Sentences | None = None) -> bool:
    """True when the diff kept far less in common than the texts visibly share."""
    equal = sum(len(r.text) for r in ops if r.op == "equal")
    shared = (sentences or _Sentences(a, b)).shared_chars
    return shared > 200 and equal < 0.5 * shared


def _reordered(sentences: _Sentences) -> bool:
    """Most shared sentences are out of order (their in-order alignment keeps few of them)."""
    if sentences.shared_chars < 200:
        return False
    sa = sentences.a
    blocks = sentences.matcher.get_matching_blocks()
    in_order = sum(sum(len(x) for x in sa[m.a : m.a + m.size]) for m in blocks)
    return in_order < 0.6 * sentences.shared_chars


def _sentence_alignment(sentences: _Sentences, time_limit: float) -> list[_Raw]:
    sa, sb, matcher = sentences.a, sentences.b, sentences.matcher
    out: list[_Raw] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "".join(sa[i1:i2]), "".join(sb[j1:j2])
        if tag == "equal":
            out.append(_Raw("equal", left))
        elif tag == "replace" and max(len(left), len(right)) < 300:
            out.extend(_dmp(left, right, min(time_limit, 0.2))[0])
        else:
            # One op per sentence, so that a sentence moved elsewhere can be matched.
            out.extend(_Raw("delete", x) for x in sa[i1:i2])
            out.extend(_Raw("insert", x) for x in sb[j1:j2])
    return out


def _section_at(sections: list[Section], offset: int) -> Section | None:
    for section in sections:
        if section.start <= offset <= section.end:
            return section
    return None


def diff_reports(earlier: Report, later: Report, *, time_limit: float = DEFAULT_TIME_LIMIT) -> VersionDiff:
    """Diff two readings of one report (any two versions, in either order)."""
    a, b = earlier.text, later.text
    sentences = _Sentences(a, b)
    if _reordered(sentences):
        # Known before diffing: a character diff would spend its whole time limit and give up.
        raw, method = _sentence_alignment(sentences, time_limit), "sentence-alignment"
    else:
        raw, method = _dmp(a, b, time_limit)
        if _degenerate(a, b, raw, sentences):
            raw, method = _sentence_alignment(sentences, time_limit), "sentence-alignment"
    # Positions and sections first, moves next, then the served shapes built once each
    # (assigning to a pydantic model afterwards costs more than building it).
    spans: list[tuple[str, str, int, int, int, int, str | None]] = []
    ia = ib = 0
    for r in raw:
        if not r.text:
            continue
        n = len(r.text)
        if r.op == "equal":
            spans.append(("equal", r.text, ia, ia + n, ib, ib + n, None))
            ia, ib = ia + n, ib + n
        elif r.op == "delete":
            section = _section_at(earlier.sections, ia)
            spans.append(("delete", r.text, ia, ia + n, ib, ib, section.heading if section else None))
            ia += n
        else:
            section = _section_at(later.sections, ib)
            spans.append(("insert", r.text, ia, ia, ib, ib + n, section.heading if section else None))
            ib += n
    moves = _moves(spans)
    ops = [
        DiffOp(
            op=op, text=text, a_start=a0, a_end=a1, b_start=b0, b_end=b1, section=section, moved=moves.get(i)
        )
        for i, (op, text, a0, a1, b0, b1, section) in enumerate(spans)
    ]
    moved_chars = sum(len(o.text) for o in ops if o.op == "delete" and o.moved is not None)
    # Moved text is reported apart: it is not an edit of the wording.
    inserted = sum(len(o.text) for o in ops if o.op == "insert" and o.moved is None)
    deleted = sum(len(o.text) for o in ops if o.op == "delete" and o.moved is None)
    sections = _section_changes(ops, earlier, later)
    return VersionDiff(
        method=method,
        ops=ops,
        stats=DiffStats(
            inserted_chars=inserted,
            deleted_chars=deleted,
            moved_chars=moved_chars,
            changed_share=round((inserted + deleted) / max(1, len(a) + len(b)), 4),
            sections_touched=sum(1 for s in sections if s.inserted or s.deleted),
        ),
        sections=sections,
        significance=_significance(ops, earlier, later),
    )


def _moves(spans: list[tuple[str, str, int, int, int, int, str | None]]) -> dict[int, int]:
    """Index of each op that is one side of a move -> the move's group (deletion order).

    A deletion pairs with the first unpaired insertion of the same text (whitespace aside).
    """
    inserts: dict[str, list[int]] = {}
    for i, span in enumerate(spans):
        if span[0] == "insert" and len(span[1]) >= MIN_MOVE_CHARS:
            inserts.setdefault(span[1].strip(), []).append(i)
    moves: dict[int, int] = {}
    for i, span in enumerate(spans):
        if span[0] == "delete" and len(span[1]) >= MIN_MOVE_CHARS:
            waiting = inserts.get(span[1].strip())
            if waiting:
                group = len(moves) // 2 + 1
                moves[i] = moves[waiting.pop(0)] = group
    return moves


def _section_changes(ops: list[DiffOp], earlier: Report, later: Report) -> list[SectionChange]:
    kinds: dict[str, str] = {}
    for section in [*later.sections, *earlier.sections]:
        kinds.setdefault(section.heading or "(untitled)", section.kind.value)
    counts: dict[str, list[int]] = {key: [0, 0] for key in kinds}
    for op in ops:
        if op.op == "equal" or op.moved is not None:
            continue
        count = counts.setdefault(op.section or "(untitled)", [0, 0])
        count[0 if op.op == "insert" else 1] += len(op.text)
    changes = [
        SectionChange(heading=key, kind=kinds.get(key, "other"), inserted=ins, deleted=dels)
        for key, (ins, dels) in counts.items()
    ]
    return sorted(changes, key=lambda c: -(c.inserted + c.deleted))


def _context(text: str, start: int, width: int = 12) -> str:
    return text[max(0, start - width) : start]


def _changed(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of ``spans`` (sorted, not overlapping each other)."""
    k = bisect.bisect_left(spans, (end, end))  # spans starting before ``end``
    return k > 0 and spans[k - 1][1] > start


def _significance(ops: list[DiffOp], earlier: Report, later: Report) -> Significance:
    result = Significance()
    # Figures: those inside changed text, paired by the words just before them.
    deleted = [(o.a_start, o.a_end) for o in ops if o.op == "delete" and o.moved is None]
    inserted = [(o.b_start, o.b_end) for o in ops if o.op == "insert" and o.moved is None]
    old_figs = [f for f in figures_of(earlier) if _changed(deleted, f.start, f.end)]
    new_figs = [f for f in figures_of(later) if _changed(inserted, f.start, f.end)]
    unmatched = list(new_figs)
    for old in old_figs:
        context = _context(earlier.text, old.start, 8)
        match = next(
            (n for n in unmatched if n.unit == old.unit and _context(later.text, n.start, 8) == context), None
        )
        if match is not None:
            unmatched.remove(match)
        result.figures_changed.append(
            FigureEdit(before=old.text, after=match.text if match else None, context=context)
        )
    for new in unmatched:
        result.figures_changed.append(
            FigureEdit(before=None, after=new.text, context=_context(later.text, new.start, 8))
        )
    # Commitments added, removed, or reworded (similar heading kept under another wording).
    old_commitments = [i.heading for i in earlier.items(ItemKind.COMMITMENT)]
    new_commitments = [i.heading for i in later.items(ItemKind.COMMITMENT)]
    removed = [c for c in old_commitments if c not in new_commitments]
    added = [c for c in new_commitments if c not in old_commitments]
    for old_heading in list(removed):
        best = max(added, key=lambda h: difflib.SequenceMatcher(a=old_heading, b=h).ratio(), default=None)
        if best is not None and difflib.SequenceMatcher(a=old_heading, b=best).ratio() >= 0.6:
            result.commitments_reworded.append(Reworded(before=old_heading, after=best))
            removed.remove(old_heading)
            added.remove(best)
    result.commitments_added, result.commitments_removed = added, removed
    # Hedging: a firm word replaced by a softer one, or a softener inserted on its own.
    for k, op in enumerate(ops):
        if op.op != "insert" or op.moved is not None:
            continue
        replaced = ops[k - 1].text if k and ops[k - 1].op == "delete" else ""
        pair = next(((f, w) for f, w in HEDGES if f in replaced and w in op.text), None)
        if pair:
            result.hedging.append(
                HedgeChange(before=pair[0], after=pair[1], context=_context(later.text, op.b_start))
            )
        elif not replaced and any(w in op.text for w in _SOFT_WORDS) and len(op.text) <= 6:
            result.hedging.append(
                HedgeChange(before="", after=op.text, context=_context(later.text, op.b_start))
            )
    return result


def render_html(diff: VersionDiff) -> str:
    """Inline rendering; every piece of report text is escaped."""
    parts: list[str] = []
    for op in diff.ops:
        text = html.escape(op.text).replace("\n", "<br>\n")
        moved = f' class="moved" data-move="{op.moved}"' if op.moved is not None else ""
        if op.op == "equal":
            parts.append(text)
        elif op.op == "insert":
            parts.append(f"<ins{moved}>{text}</ins>")
        else:
            parts.append(f"<del{moved}>{text}</del>")
    return '<div class="diff">' + "".join(parts) + "</div>"

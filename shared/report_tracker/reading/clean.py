"""Canonical clean text: what is diffed, searched and quoted.

The same content must clean to the same text whatever its source (txt in any encoding,
html, docx, pdf): NFC, one punctuation convention, no scraping debris, no page footers,
no repeated titles, hard-wrapped lines joined.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

CJK_CHAR = r"\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{CJK_CHAR}]")
# Full-width punctuation that marks Chinese context on either side of a half-width mark.
_CJK_PUNCT = "，。、；：？！“”‘’（）《》【】…—"
_CJK_OR_PUNCT = re.compile(f"[{CJK_CHAR}{_CJK_PUNCT}]")

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u3000\u2002\u2003\u2009\t"), " ")
# Full-width digits, Latin letters, % and . are folded to ASCII (one spelling for figures).
_FULLWIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)}, **{0xFF21 + i: 0x41 + i for i in range(26)}}
_FULLWIDTH.update({0xFF41 + i: 0x61 + i for i in range(26)})
_FULLWIDTH.update({ord("％"): ord("%"), ord("．"): ord("."), ord("／"): ord("/")})

_ARTEFACT = re.compile(r"\[(?:bookmark|image|comment|footnote)[^\]]*\]", re.IGNORECASE)
PAGE_FOOTER = re.compile(
    r"^(?:[-—–]\s*\d+\s*[-—–]|\d+\s*/\s*\d+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,3}|page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
_HAS_CONTENT = re.compile(f"[{CJK_CHAR}A-Za-z0-9]")
META_LABELS = (
    "标题",
    "索引号",
    "文号",
    "发文日期",
    "发布机构",
    "成文日期",
    "发布日期",
    "主题分类",
    "来源",
    "发文机关",
)
_META_LINE = re.compile(r"^\s*(?:" + "|".join(META_LABELS) + r")\s*[:：]?\s*\|")
_OUTLINE = re.compile(r"^\s*(?:【\s*提\s*纲\s*】|提纲[:：])")

# An item numbered 1. 1、 1) or Ⅰ. (structure and commitments read the same numbers).
ITEM_NUMBER = r"\d{1,2}\s*[.、)）](?!\d)|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,3}\s*[.、]"
HEADING_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*[、.]|第[一二三四五六七八九十]+[部分章节]|（[一二三四五六七八九十]+）|"
    rf"{ITEM_NUMBER}|（\d{{1,2}}）|[①-⑳])"
)
# A section heading written without a number (2024年工作回顾, 2025年工作安排).
BARE_HEADING = re.compile(
    r"^[^。，；：！？,;:]{0,24}(?:工作回顾|主要任务|重点工作|工作安排|总体要求|主要目标|目标任务|主要考虑|"
    r"政府自身建设|存在的问题|问题和不足|下一步工作|工作计划|工作思路)[^。，；：！？,;:]{0,8}$"
)
INLINE_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十][是要]|第[一二三四五六七八九十]，|首先|其次|再次|最后)"
)
_TERMINAL = set("。！？；：…!?;:")
_TRAILING_PUNCT = "。，、；：！？）》”’」』…"
_CLOSERS = set("”’」』）)》")
_TITLE_END = re.compile(r"(?:报告|汇报|总结|讲话|发言|材料|方案|通知|意见|情况)$")
_SPEAKER_LINE = re.compile(
    r"(?:总理|省长|市长|主席|区长|县长|旗长|州长|镇长|乡长|主任)\s*[\u4e00-\u9fff·]{2,8}(?:同志)?$"
)
CN_DAY = r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九〇零○])"
_DATE_LINE = re.compile(rf"^(?:\d{{4}}\s*年\s*{CN_DAY}\s*月\s*{CN_DAY}\s*日|\d{{4}}-\d{{1,2}}-\d{{1,2}})$")


# Web-page furniture around a scraped report: toolbar words, breadcrumbs, share and print links,
# source/time lines, previous/next links. Matched as whole short lines only.
_DEBRIS = re.compile(
    r"^(?:(?:(?:[【\[](?:字号|字体)[：:]?\s*大\s*中\s*小\s*[】\]]|[【\[]?(?:打印本页|关闭窗口|打印|关闭)[】\]]?|"
    r"下载|打印|全屏|收藏|分享|关闭|返回顶部|字号|纠错|大|中|小)[\s|｜/·]*){2,}|"
    r"下载|打印|打印本页|关闭窗口|全屏|收藏|分享|分享到[：:]?|加大|还原|减小|默认|[【\[]?\s*字号\s*[：:]?|[】\]]|大\s*中\s*小|"
    r"【字体[：:].{0,20}】.{0,20}|.{0,30}【字体[：:][^】]{0,12}】.{0,30}|"
    r"(?:首页|当前位置[：:]).{0,80}|扫一扫.{0,20}|【(?:打印本页|关闭窗口|关闭|打印)】.{0,20}|"
    r"上一篇[：:].{0,80}|下一篇[：:].{0,80}|浏览次数[：:].{0,20}|"
    r"(?:来源|时间|发布时间|信息来源|作者|编辑|责任编辑)[：:].{0,60})$"
)
# A breadcrumb glued to the report's title (text that lost its line breaks) is not debris alone.
_TITLE_INSIDE = re.compile(r"(?:19|20)\d{2}\s*年[^。]{0,30}?(?:报告|情况)")
_DEBRIS_META = re.compile(r"^(来源|发布时间|时间|信息来源)[：:]\s*([^【]{1,40}?)(?:\s{2,}.*|　.*)?$")
# Where a paragraph or heading began in a text that lost its line breaks: runs of layout
# spaces, spaces after a sentence end, and a numbering marker right after a sentence end.
_FLAT_BREAK = re.compile(
    r"[ \u3000\u2003\u00a0\t]{2,}|(?<=[。！？；”])[ \u3000\u2003]+"
    r"|(?<=[。！？”：])(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|\d{1,2}[.、．](?!\d))[^\n]{2,40})"
    # the signature run into the last sentence, and its date into the signature
    r"|(?<=[。！？”])(?=[\u4e00-\u9fff（）]{2,30}(?:人民政府|办事处|委员会)\s*\d{4}\s*年[^。\n]{2,8}日[^。\n]{0,120}$)"
    r"|(?:(?<=人民政府)|(?<=办事处)|(?<=委员会))(?=\s*\d{4}\s*年[^。\n]{2,8}日[^。\n]{0,120}$)"
    # and the web page's links after it
    r"|(?=扫一扫|【打印本页】|【关闭窗口】|上一篇[：:]|下一篇[：:])"
)
# The title glued to the first sentence (…情况报告2024年，…): cut after the title's last word.
_FLAT_TITLE = re.compile(
    r"^[^。！？，,\n]{4,60}?(?:情况报告|工作报告|工作总结|总结报告|年度报告|述法报告|报告)(?!报告)"
    r"(?=[^。！？，、）)”\n]{0,3}[\u4e00-\u9fff\d])"
)
_FLAT_LINE = 1500
# A shorter line is taken as flattened when this many headings or items start inside it.
_FLAT_MARKERS = 3


def _flat_line(line: str) -> bool:
    if len(line) > _FLAT_LINE:
        return True
    if len(line) < 200:
        return False
    inline = sum(1 for m in _FLAT_BREAK.finditer(line) if m.start() == m.end())
    return inline >= _FLAT_MARKERS


def _flattened(raw: str) -> bool:
    """True when a line holds what are plainly several paragraphs and headings."""
    lines = raw.split("\n")
    longest = max((len(line) for line in lines), default=0)
    if longest > _FLAT_LINE and raw.count("\n") < len(raw) / _FLAT_LINE:
        return True
    prose = [line for line in lines if len(line) >= 200]
    return bool(prose) and sum(_flat_line(line) for line in prose) * 2 >= len(prose)


# A heading run into its first numbered item when the line breaks were lost: （三）持续优化法治化营商环境1.在全县…
_GLUED_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])[^。！？；：\n]{2,40}?"
    r"(?=(?:[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]是)[\u4e00-\u9fff])"
)


def _unglued(piece: str, offset: int) -> list[tuple[str, int]]:
    m = _GLUED_ITEM.match(piece)
    if m is None:
        return [(piece, offset)]
    return [(piece[: m.end()], offset), *_unglued(piece[m.end() :], offset + m.end())]


# Numbered items run together in one paragraph (1.深化学法用法…。2.规范行政执法…。): the next marker
# after a sentence end, in the same style as the one opening the paragraph.
_RUN_STYLES = (
    (
        re.compile(r"^\s*(\d{1,2})[.、．](?!\d)"),
        re.compile(r"(?<=[。！？；])(\d{1,2})[.、．](?![\d])(?=[\u4e00-\u9fff])"),
    ),
    (
        re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[）)]"),
        re.compile(r"(?<=[。！？；])[（(]([一二三四五六七八九十]{1,3})[）)](?=[\u4e00-\u9fff])"),
    ),
)
_CN_ORDINAL = {n: k for k, n in enumerate("一二三四五六七八九十", 1)}


def _ordinal(written: str) -> int:
    return int(written) if written.isdigit() else _CN_ORDINAL.get(written, 0)


def _run_together(line: str, offset: int) -> list[tuple[str, int]]:
    """A paragraph holding items 1., 2., 3. (or （一）（二）) one after another, cut before each:
    only markers that continue the paragraph's own numbering count."""
    for opening, inside in _RUN_STYLES:
        first = opening.match(line)
        if first is None:
            continue
        expected, cuts = _ordinal(first.group(1)) + 1, []
        for m in inside.finditer(line):
            if _ordinal(m.group(1)) == expected:
                cuts.append(m.start())
                expected += 1
        bounds = [0, *cuts, len(line)]
        return [(line[a:b], offset + a) for a, b in itertools.pairwise(bounds)]
    return [(line, offset)]


def _source_lines(raw: str, flattened: bool) -> list[tuple[str, int]]:
    """(line, offset in raw) for every line, long flat lines cut into their paragraphs."""
    out: list[tuple[str, int]] = []
    pos = 0
    titled = False
    for line in raw.split("\n"):
        if flattened and _flat_line(line):
            start = 0
            if not titled and (t := _FLAT_TITLE.match(line)):
                out.append((line[: t.end()], pos))
                start = t.end()
            for m in _FLAT_BREAK.finditer(line, start):
                if m.start() > start:
                    out.extend(_unglued(line[start : m.start()], pos + start))
                start = m.end()
            out.extend(_unglued(line[start:], pos + start))
        else:
            out.extend(_run_together(line, pos))
        titled = titled or bool(line.strip() and not _DEBRIS.match(line.strip()))
        pos += len(line) + 1
    return out


@dataclass
class CleanText:
    text: str
    offset_map: list[tuple[int, int]]
    metadata: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    outline: str | None = None
    title_lines: int = 0


@dataclass
class _Line:
    text: str
    orig: int
    blank_before: bool = False
    indented: bool = False
    width: int = 0  # display width as laid out, indentation included (PDF wrap detection)
    source_ids: list[int] = field(default_factory=list)  # id() of the source lines joined into this one
    chunks: list[str] = field(default_factory=list)  # pieces of a joined line, joined once at the end
    length: int = 0


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


# A year written in Chinese digits (二〇二三年, 二零二四年度, 一九九八年), common in official titles and
# dates: the same four characters in ASCII digits, so every later step reads one form.
_CN_YEAR = re.compile(r"(?:一九|二[〇零○Ｏ])[〇零○Ｏ一二三四五六七八九]{2}(?=\s*年)")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def normalize_chars(line: str) -> str:
    """NFC, no zero-width characters, one kind of space, ASCII digits and letters, years in digits."""
    line = unicodedata.normalize("NFC", line).translate(_ZERO_WIDTH).translate(_SPACES)
    line = line.translate(_FULLWIDTH)
    if "年" in line:
        line = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), line)
    return line


def normalize_punctuation(line: str) -> str:
    """Half-width punctuation in Chinese context becomes full-width; figures keep theirs."""
    if not _CJK_OR_PUNCT.search(line):
        return line
    line = re.sub(r"\(([^()\n]{0,80})\)", _paren, line)
    chars = list(line)
    n = len(chars)
    for i, ch in enumerate(chars):
        if ch not in ",:;?!":
            continue
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < n else ""
        if prev.isdigit() and nxt.isdigit():
            continue  # 1,000 or 12:30
        if ch in ",;" and (_CJK_OR_PUNCT.match(prev or " ") or _CJK_OR_PUNCT.match(nxt or " ")):
            chars[i] = "，" if ch == "," else "；"
        elif ch in ":?!" and prev and (_CJK_OR_PUNCT.match(prev) or (prev.isdigit() and nxt and is_cjk(nxt))):
            chars[i] = {":": "：", "?": "？", "!": "！"}[ch]
        elif ch == ":" and prev in {"", " "} and nxt and is_cjk(nxt):
            chars[i] = "："
    line = "".join(chars)
    if line.count('"') >= 2 and line.count('"') % 2 == 0 and _CJK_RE.search(line):
        parts = line.split('"')
        line = parts[0] + "".join(("“" if k % 2 == 0 else "”") + p for k, p in enumerate(parts[1:]))
    # Spaces next to full-width punctuation are layout, not content.
    line = re.sub(f" +(?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}]) +", "", line)
    return re.sub(r" {2,}", " ", line)


def _paren(match: re.Match[str]) -> str:
    inner = match.group(1)
    whole = match.string
    before = whole[match.start() - 1] if match.start() else ""
    after = whole[match.end()] if match.end() < len(whole) else ""
    if _CJK_RE.search(inner) or (before and is_cjk(before)) or (after and is_cjk(after)):
        return f"（{inner}）"
    return match.group(0)


def parse_metadata_row(line: str) -> dict[str, str]:
    """``索引号: | 1137.../2025-5502184 | 文号: | |`` -> {'索引号': '1137.../2025-5502184'}."""
    cells = [c.strip() for c in line.split("|")]
    found: dict[str, str] = {}
    i = 0
    while i < len(cells):
        label = cells[i].rstrip(":：").strip()
        if label in META_LABELS:
            value = cells[i + 1] if i + 1 < len(cells) else ""
            if value.rstrip(":：").strip() in META_LABELS:
                value = ""
            if value:
                found[label] = value
                i += 2
                continue
        i += 1
    return found


_TAB_LABELS = {*META_LABELS, "名称", "信息分类", "生成日期", "主题词", "文号", "发文字号", "公开方式"}


def _tab_row(line: str) -> dict[str, str] | None:
    """``label：<TAB>value<TAB>label：<TAB>value`` rows; None unless every label is a known one."""
    cells = [normalize_chars(c).strip() for c in line.split("\t")]
    found: dict[str, str] = {}
    for i in range(0, len(cells) - 1, 2):
        label = re.sub(r"\s+", "", cells[i]).rstrip("：:")
        if label not in _TAB_LABELS:
            return None
        if cells[i + 1]:
            found[label] = cells[i + 1]
    if len(cells) % 2 and re.sub(r"\s+", "", cells[-1]).rstrip("：:") not in _TAB_LABELS | {""}:
        return None
    return found


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    while text and text[-1] in _CLOSERS:
        if len(text) >= 2 and text[-2] in _TERMINAL:
            return True
        text = text[:-1]
    return bool(text) and text[-1] in _TERMINAL


def _is_heading_line(text: str) -> bool:
    return bool(HEADING_MARKER.match(text)) and "。" not in text and len(text) <= 80


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _body_like(text: str) -> bool:
    return (
        bool(HEADING_MARKER.match(text))
        or "。" in text
        or (len(text) > 30 and any(p in text for p in "；，"))
        or (len(text) > 30 and not _TITLE_END.search(text))
        or text.startswith("各位代表")
    )


def clean_text(raw: str, *, source_format: str = "txt") -> CleanText:
    """Clean a document's extracted text. Offsets in ``offset_map`` point into ``raw``."""
    metadata: dict[str, str] = {}
    flags: list[str] = []
    outline: str | None = None
    lines: list[_Line] = []
    blank = page_break = False
    tail = raw.rstrip()
    truncated = tail.endswith(("……", "...", "…"))
    flattened = _flattened(raw)
    if flattened:
        flags.append("line_breaks_restored")
    for raw_line, orig in _source_lines(raw, flattened):
        if raw_line.strip() and not raw_line.translate(_ZERO_WIDTH).strip():
            continue  # a line holding only zero-width characters is a wrap artefact, not a break
        if "\t" in raw_line and (row := _tab_row(raw_line)) is not None:
            metadata.update(row)  # 索 引 号：<TAB>…<TAB>发布机构：<TAB>… (a government site's table)
            continue
        line = normalize_chars(raw_line.rstrip("\r"))
        indented = line.startswith("  ")
        line = _ARTEFACT.sub("", line).strip()
        if not line:
            blank = blank or not page_break
            continue
        if _META_LINE.match(line) or (line.count("|") >= 2 and parse_metadata_row(line)):
            metadata.update(parse_metadata_row(line))
            continue
        if _OUTLINE.match(line):
            outline = _OUTLINE.sub("", normalize_punctuation(line)).strip()
            flags.append("outline")
            continue
        if PAGE_FOOTER.match(line):
            # The blank lines around a page number are the page break, not a paragraph's end:
            # a sentence cut by the page still continues (在重点 / — 2 — / 林区设置…).
            blank, page_break = False, True
            continue
        if _DEBRIS.match(line) and not _TITLE_INSIDE.search(line):
            if m := _DEBRIS_META.match(line):
                metadata.setdefault(m.group(1), m.group(2).strip())
            if "page_debris" not in flags:
                flags.append("page_debris")
            continue
        if not _HAS_CONTENT.search(line):
            if lines and not blank and line.strip(_TRAILING_PUNCT) == "":
                lines[-1].text += normalize_punctuation(line)  # a wrap left only closing punctuation
            continue
        line = normalize_punctuation(line)
        start = orig + (len(raw_line) - len(raw_line.lstrip()))
        lines.append(_Line(line, start, blank, indented, _width(raw_line.rstrip())))
        blank = page_break = False

    title_count = _dedupe_title_block(lines)
    title_starts = {id(line) for line in lines[:title_count]}
    joined = _join_wrapped(lines, title_count, pdf=source_format == "pdf")
    # Title lines as they are after joining (a title broken over two lines is one line now).
    title_count = sum(1 for line in joined if set(line.source_ids) <= title_starts)
    out: list[str] = []
    offset_map: list[tuple[int, int]] = []
    cursor = 0
    for joined_line in joined:
        # Again after joining: a bracket pair may have been split across wrapped lines.
        line_text = normalize_punctuation(joined_line.text)
        offset_map.append((cursor, joined_line.orig))
        out.append(line_text)
        cursor += len(line_text) + 1
    text = "\n".join(out)
    if truncated:
        flags.append("truncated")
    return CleanText(text, offset_map, metadata, flags, outline, title_count)


def _dedupe_title_block(lines: list[_Line]) -> int:
    """Drop repeated title lines at the top; return how many title lines remain."""
    end = 0
    while end < len(lines) and end < 8 and not _body_like(lines[end].text):
        end += 1
    seen: set[str] = set()
    keep: list[_Line] = []
    for line in lines[:end]:
        key = re.sub(r"\s+", "", line.text)
        if key in seen:
            continue
        seen.add(key)
        keep.append(line)
    lines[:end] = keep
    return len(keep)


_TAIL = 200


def _join_wrapped(lines: list[_Line], title_count: int, *, pdf: bool) -> list[_Line]:
    """Join hard-wrapped lines. Linear: a joined line keeps its pieces in a list and only its
    last characters as ``text`` while joining (every check looks at a line's end or length)."""
    if not lines:
        return []
    full_width = 0
    if pdf:
        widths = sorted(line.width for line in lines)
        full_width = widths[int(len(widths) * 0.9)] - 3 if len(widths) >= 5 else 0
    wrap_width = 0 if pdf else _wrap_width(lines)

    def start(line: _Line) -> _Line:
        return _Line(
            line.text,
            line.orig,
            width=line.width,
            source_ids=[id(line)],
            chunks=[line.text],
            length=len(line.text),
        )

    out: list[_Line] = [start(lines[0])]
    for idx in range(1, len(lines)):
        line = lines[idx]
        prev = out[-1]
        if _should_join(prev, line, idx, title_count, full_width, wrap_width):
            # Only Latin words wrapped across lines need their space back; digits and CJK do not.
            latin = prev.text[-1].isascii() and prev.text[-1].isalpha()
            sep = " " if latin and line.text[0].isascii() and line.text[0].isalpha() else ""
            prev.chunks.extend((sep, line.text))
            prev.length += len(sep) + len(line.text)
            prev.text = (prev.text + sep + line.text)[-_TAIL:]
            prev.width = line.width
            prev.source_ids.append(id(line))
        else:
            out.append(start(line))
    for joined in out:
        joined.text = "".join(joined.chunks)
    return out


def _wrap_width(lines: list[_Line]) -> int:
    """The width a plain text was hard-wrapped at (every line cut at the same number of
    characters, as exported from a fixed-width view), or 0. Natural paragraphs vary in length;
    wrapped ones fill the width, so one width (within a half-width character) holds a quarter of
    the lines and more."""
    widths = Counter(line.width // 2 for line in lines if line.width >= 30)
    if not widths:
        return 0
    half, count = widths.most_common(1)[0]
    share = (count + widths.get(half - 1, 0) + widths.get(half + 1, 0)) / len(lines)
    # a line of the same number of characters is narrower by its half-width digits and letters
    return 2 * half - 6 if count >= 8 and share >= 0.25 else 0


def _should_join(
    prev_line: _Line, line: _Line, idx: int, title_count: int, full_width: int, wrap_width: int = 0
) -> bool:
    prev, nxt = prev_line.text, line.text  # prev: the line's last characters (all of it when short)
    if HEADING_MARKER.match(nxt) or INLINE_MARKER.match(nxt) or nxt.startswith(("——", "—", "【")):
        return False
    if _DATE_LINE.match(nxt) or _DATE_LINE.match(prev):
        return False
    speaker = prev_line.length <= 30 and not re.search("[，。；、]", prev) and _SPEAKER_LINE.search(prev)
    if nxt.startswith("各位代表") or speaker or (prev.startswith("——") and "会议" in prev):
        return False  # the session line, the speaker and the salutation of a speech stay apart
    if idx < title_count:
        # Inside the title block: a title broken over lines is joined, a subtitle is not.
        return not _TITLE_END.search(prev) and prev_line.length + len(nxt) <= 60 and not nxt.startswith("——")
    if idx == title_count and _TITLE_END.search(prev) and not _body_like(prev):
        return False
    if full_width and line.indented:
        return False  # an indented PDF line starts a paragraph
    if full_width and prev_line.width >= full_width:
        return True  # a PDF line that fills the page width continues on the next line
    if line.blank_before:
        return False
    if wrap_width and prev_line.width >= wrap_width and not line.indented and not _ends_sentence(prev):
        return True  # cut at the text's wrap width mid-sentence: even a numbered item continues
    if _ends_sentence(prev) or (prev_line.length <= 80 and _is_heading_line(prev)):
        return False
    if prev_line.length <= 40 and BARE_HEADING.match(prev):
        return False
    return not (prev_line.length <= 25 and _TITLE_END.search(prev))

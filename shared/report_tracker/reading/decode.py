"""Bytes to text for plain-text uploads: BOM, UTF-8, GB18030, UTF-16, then a detector."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from report_tracker.errors import EmptyDocument, UnreadableDocument

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Ideographs plus the punctuation Chinese text uses (general, CJK and full-width forms).
_CHINESE_LIKE = re.compile(
    r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u2010-\u2027\u3000-\u303f\uff00-\uffef\u00b7]"
)
# C0 controls other than tab/newline/carriage return/form feed: never in a real report.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Share of characters that may be replacement or control characters before we call the
# upload binary rather than text with a few bad bytes.
MAX_GARBAGE_SHARE = 0.05


@dataclass
class Decoded:
    text: str
    encoding: str
    flags: list[str] = field(default_factory=list)


def _garbage_share(text: str) -> float:
    if not text:
        return 0.0
    # Counted by substitution: findall would build a list of one-character strings, which
    # for a 20 MB upload costs hundreds of megabytes.
    bad = text.count("\ufffd") + len(text) - len(_CONTROL.sub("", text))
    return bad / len(text)


def _looks_like_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: CJK text has many zero bytes in one parity only for ASCII parts."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zero > 0.2 * half and even_zero < 0.02 * half:
        return "utf-16-le"
    if even_zero > 0.2 * half and odd_zero < 0.02 * half:
        return "utf-16-be"
    return None


def _plausible_gb(text: str) -> bool:
    """GB18030 decodes almost any byte string; accept it only when it reads as Chinese."""
    if not text:
        return True
    sample = text[:200_000]
    chinese = len(sample) - len(_CHINESE_LIKE.sub("", sample))
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    return non_ascii == 0 or chinese / non_ascii > 0.9


def decode_text(data: bytes) -> Decoded:
    """Decode an uploaded text file. Raises ``UnreadableDocument`` for binary data.

    Order: BOM, strict UTF-8, UTF-16 by zero-byte pattern, strict GB18030 (a superset of
    GBK and GB2312) when it reads as Chinese, then charset-normalizer; as a last resort
    UTF-8 with replacement characters, flagged ``decode_replaced``.
    """
    if not data:
        raise EmptyDocument("the upload is empty (0 bytes)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return _checked(Decoded(text, encoding, _replaced_flag(text)))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Short GB18030 byte runs can also be valid UTF-8 (D2 BB is 一 in GB, һ in UTF-8):
        # when UTF-8 reads as non-Chinese letters and GB18030 reads as Chinese, GB wins.
        if not _plausible_gb(text):
            try:
                gb_text = data.decode("gb18030")
            except UnicodeDecodeError:
                gb_text = ""
            if gb_text and _plausible_gb(gb_text):
                return _checked(Decoded(gb_text, "gb18030"))
        return _checked(Decoded(text, "utf-8"))
    utf16 = _looks_like_utf16(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        return _checked(Decoded(text, utf16, _replaced_flag(text)))
    try:
        text = data.decode("gb18030")
        if _plausible_gb(text):
            return _checked(Decoded(text, "gb18030"))
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected is not None:
        return _checked(detected)
    text = data.decode("utf-8", errors="replace")
    return _checked(Decoded(text, "utf-8", ["decode_replaced"]))


def _detect(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes  # noqa: PLC0415 - only for the rare undetected upload

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return None
    encoding = best.encoding
    text = data.decode(encoding, errors="replace")
    if encoding in {"gb18030", "gbk", "gb2312", "big5", "utf_8", "utf_16", "utf_16_le", "utf_16_be"}:
        return Decoded(text, encoding, _replaced_flag(text))
    # A single-byte code page "detected" for bytes that are not CJK is almost always a
    # binary file or mangled text; keep it only if it contains no garbage at all.
    if _garbage_share(text) == 0 and _CJK.search(text):
        return Decoded(text, encoding, _replaced_flag(text))
    return None


def _replaced_flag(text: str) -> list[str]:
    return ["decode_replaced"] if "\ufffd" in text else []


def _checked(decoded: Decoded) -> Decoded:
    share = _garbage_share(decoded.text)
    if share > MAX_GARBAGE_SHARE:
        raise UnreadableDocument(
            f"the upload does not look like text: {share:.0%} of its characters are invalid or "
            f"control bytes (read as {decoded.encoding}); supported formats are txt, html, docx and pdf"
        )
    if not decoded.text.strip():
        raise EmptyDocument("the upload contains no text")
    return decoded

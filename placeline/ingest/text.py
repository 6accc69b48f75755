"""Plain text -> Document: validation, language and the publication-date header."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata

from placeline.errors import InputError
from placeline.model import Document
from placeline.settings import Settings

# A header line such as " date 2016-12" or "Datum: 08.12.2016" at the very top of a text export.
_HEADER_DATE = re.compile(
    r"^\s*(?:date|datum|published|veröffentlicht)\s*:?\s*"
    r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?\b",
    re.IGNORECASE,
)

_GERMAN_CUES = frozenset(
    [
        "der",
        "die",
        "das",
        "und",
        "nicht",
        "mit",
        "von",
        "den",
        "ist",
        "sich",
        "auf",
        "dem",
        "des",
        "ein",
        "eine",
        "für",
        "wird",
        "sind",
        "auch",
        "nach",
        "bei",
        "aus",
        "wie",
        "über",
        "hat",
        "haben",
        "wurde",
        "noch",
        "einer",
        "zum",
        "zur",
        "im",
        "vom",
        "sagte",
    ]
)
_ENGLISH_CUES = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "that",
        "for",
        "it",
        "with",
        "was",
        "on",
        "as",
        "are",
        "by",
        "this",
        "be",
        "from",
        "at",
        "said",
        "have",
        "has",
        "not",
        "were",
        "which",
        "they",
        "their",
        "been",
        "an",
        "will",
        "would",
        "who",
    ]
)


def detect_language(text: str) -> str:
    """Return "de" or "en" by counting frequent function words (enough for news text)."""
    words = re.findall(r"[a-zäöüß]+", text[:20_000].lower())
    german = sum(w in _GERMAN_CUES for w in words)
    english = sum(w in _ENGLISH_CUES for w in words)
    return "en" if english > german else "de"


def document_id_for(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def parse_header_date(text: str) -> tuple[dt.date, str] | None:
    """Read a date header on the first line; return (first day, granularity)."""
    first_line = text.lstrip("\ufeff")[:80].split("\n", 1)[0]
    match = _HEADER_DATE.match(first_line)
    if not match:
        return None
    year = int(match["y"])
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] else None
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day), "day"
        if month is not None:
            return dt.date(year, month, 1), "month"
        return dt.date(year, 1, 1), "year"
    except ValueError:
        return None


def parse_user_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f"publication date {value!r} is not a date of the form YYYY-MM-DD"
        ) from exc


def document_from_text(
    text: str,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    lang: str | None = None,
    published: str | dt.date | None = None,
    published_source: str | None = None,
    url: str | None = None,
    settings: Settings | None = None,
) -> Document:
    """Build a Document, keeping ``text`` exactly as given (offsets index it)."""
    settings = settings or Settings()
    if not isinstance(text, str):
        raise InputError("the article must be text")
    if not text.strip():
        raise InputError("the article is empty: paste or upload some text first")
    if len(text) > settings.max_text_chars:
        raise InputError(
            f"the article has {len(text):,} characters; the limit is "
            f"{settings.max_text_chars:,} (split it into several articles)"
        )
    if lang is not None and lang not in ("de", "en"):
        raise InputError(f"language {lang!r} is not supported; use de or en")
    published_date = parse_user_date(published)
    granularity = "day" if published_date else None
    source = (published_source or "user") if published_date else None
    if published_date is None:
        header = parse_header_date(text)
        if header:
            published_date, granularity = header
            source = "header"
    return Document(
        id=doc_id or document_id_for(text),
        text=text,
        title=title,
        lang=lang or detect_language(text),
        published=published_date,
        published_granularity=granularity,
        published_source=source,
        url=url,
    )


# Byte-order marks, longest first: a UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte encodings German and English texts are saved in, in order of preference when two
# read equally well (Windows first; WHATWG also reads "latin-1" labels as cp1252).
_WESTERN_ENCODINGS = ("cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850")
_LATIN1_LABELS = frozenset({"latin_1", "iso8859_1", "ascii"})
# Characters that make a decoding plausible for news in German, English and their neighbours;
# any other non-ASCII symbol counts against it, so mojibake such as "MŠnchen" or "Gr³▀e" loses.
_GERMAN_LETTERS = frozenset("äöüÄÖÜß")
_PLAUSIBLE_LETTERS = frozenset("éèêëàâáçôîïíìûùúñóòÉÈÊÀÂÇÔÎÛØøÅåÆæœŒ")
_PLAUSIBLE_MARKS = frozenset("€„“”‚‘’–—…«»‹›°§£©®´·\u00a0")


_C1_CONTROLS = re.compile("[\x80-\x9f]")
_PLAUSIBILITY_SAMPLE_CHARS = 200_000


def _plausibility(text: str) -> float | None:
    """Score how much ``text`` looks like a correctly decoded Western text; None if impossible.

    Mojibake shows as rare symbols ("Gr³▀e"), as letters standing alone where a dash or euro
    sign belongs ("5 Ç"), or as a lowercase letter glued to a capital ("äWir" for "„Wir").
    """
    if _C1_CONTROLS.search(text):
        return None  # C1 controls never occur in real text; they mark a wrong decoding
    text = text[:_PLAUSIBILITY_SAMPLE_CHARS]  # a sample decides; a 5 MB file must not stall
    non_ascii = sum(1 for char in text if not char.isascii())
    if non_ascii > max(8, len(text) * 0.3):
        return None  # Western text is mostly ASCII; this is binary noise or another script
    score = 0.0
    for index, char in enumerate(text):
        if char.isascii():
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cn", "Co", "Cs"):
            return None  # C1 controls and unassigned code points never occur in real text
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char in _GERMAN_LETTERS or char in _PLAUSIBLE_LETTERS:
            if not (before.isalpha() or after.isalpha()):
                score -= 1
            elif (char.islower() and after.isupper()) or (char.isupper() and before.islower()):
                score -= 3
            else:
                score += 3 if char in _GERMAN_LETTERS else 2
        elif char in _PLAUSIBLE_MARKS:
            score += 1
        elif not category.startswith("L"):
            score -= 1
    return score


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 with no byte-order mark shows as a NUL in every other byte (ASCII and Latin-1
    characters have a zero high byte); decode it when that pattern is clear."""
    if len(data) < 2 or len(data) % 2:
        return None
    half = len(data) // 2
    zeros_even = data[0::2].count(0) / half
    zeros_odd = data[1::2].count(0) / half
    for codec, zeros_high, zeros_low in (
        ("utf-16-le", zeros_odd, zeros_even),
        ("utf-16-be", zeros_even, zeros_odd),
    ):
        if zeros_high >= 0.3 and zeros_low <= 0.02:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected_candidates(data: bytes) -> list[str]:
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:200_000], cp_isolation=list(_WESTERN_ENCODINGS))
    detected = [match.encoding for match in matches]
    return detected + [codec for codec in _WESTERN_ENCODINGS if codec not in detected]


def decode_text_bytes(
    data: bytes, *, declared_charset: str | None = None, name: str = "the file"
) -> str:
    """Decode the bytes of a text or HTML file without silent mojibake.

    Order: byte-order mark, UTF-16 without mark, UTF-8, the declared charset (HTTP header or
    ``<meta charset>``), then the Western single-byte encodings ranked by the charset detector
    and checked for plausible characters. Binary data and undecodable bytes raise InputError.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is None:
                raise InputError(f"{name} says it is {codec.upper()} but is damaged; save it again")
            return text
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    if b"\x00" in data:
        raise InputError(f"{name} is not a text file (it contains binary data)")
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    if declared_charset:
        try:
            declared = codecs.lookup(declared_charset.strip().strip("\"'")).name.replace("-", "_")
        except LookupError:
            declared = None
        if declared in _LATIN1_LABELS:
            declared = "cp1252"
        if declared and declared != "utf_8":
            text = _strict(data, declared)
            if text is not None and _plausibility(text) is not None:
                return text
    best: tuple[float, str] | None = None
    for codec in _detected_candidates(data):
        text = _strict(data, codec)
        score = None if text is None else _plausibility(text)
        if (
            text is not None
            and score is not None
            and score > 0
            and (best is None or score > best[0])
        ):
            best = (score, text)
    if best is None:
        raise InputError(
            f"cannot tell which character encoding {name} uses; save it as UTF-8 and try again"
        )
    return best[1]

"""Sentence and quotation spans: the units every other timeline module works on.

Both are computed once per document and passed around as tuples of offsets into
``Document.text`` so that no module works on a cleaned copy of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Periods after these never end a sentence ("Dr. Müller", "z.B. Aleppo", "St. Louis").
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "prof",
        "mr",
        "mrs",
        "ms",
        "st",
        "nr",
        "ca",
        "bzw",
        "vgl",
        "evtl",
        "inkl",
        "jan",
        "feb",
        "aug",
        "sept",
        "sep",
        "okt",
        "oct",
        "nov",
        "dez",
        "dec",
        "gen",
        "lt",
        "col",
        "sen",
        "rep",
        "gov",
        "jr",
        "sr",
        "no",
        "vs",
        "etc",
        "usw",
        "u.a",
        "z.b",
        "d.h",
        "mio",
        "mrd",
    ]
)
# A sentence ends at ., ! or ? (optionally followed by a closing quote) before whitespace and
# an upper-case letter, a digit or an opening quote; or at a paragraph break.
_BOUNDARY = re.compile(r"[.!?]+[\"“”«»'’]?(?=\s+[\"„“»«'A-ZÄÖÜ0-9])|\n\s*\n")
_LAST_TOKEN = re.compile(r"([\w.]+)$")

# Opening mark -> closing marks that may end it. Straight quotes pair with themselves; German
# writers also close „ with the straight " when typing on an English keyboard.
_QUOTE_PAIRS = {"„": '“"”', "“": '”"', '"': '"“”', "»": "«", "«": "»", "‚": "‘'", "'": "'"}


@dataclass(frozen=True)
class Quotation:
    """A quoted stretch: ``start``/``end`` bound the words inside the marks."""

    start: int
    end: int
    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Return (start, end) spans of the sentences, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group().startswith("."):
            token = _LAST_TOKEN.search(text[max(0, match.start() - 12) : match.start()])
            word = token.group(1).lower() if token else ""
            # German ordinals ("am 7. Juli") and abbreviations do not end a sentence.
            if word.isdigit() and len(word) <= 2 or word in _ABBREVIATIONS or len(word) == 1:
                continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        _append_trimmed(text, start, end, spans)
        start = match.end()
    _append_trimmed(text, start, len(text), spans)
    return tuple(spans)


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def find_quotations(text: str) -> tuple[Quotation, ...]:
    """Find quoted stretches; an apostrophe only counts as a mark at a word boundary."""
    quotes: list[Quotation] = []
    i = 0
    n = len(text)
    while i < n:
        mark = text[i]
        closers = _QUOTE_PAIRS.get(mark)
        if closers is None or not _opens_quote(text, i):
            i += 1
            continue
        j = i + 1
        limit = min(n, i + 2000)
        close = -1
        while j < limit:
            if text[j] in closers and _closes_quote(text, j):
                close = j
                break
            if text[j] == "\n" and text[j + 1 : j + 2] == "\n":
                break
            j += 1
        if close < 0 or close == i + 1:
            i += 1
            continue
        quotes.append(Quotation(start=i + 1, end=close, open_at=i, close_at=close))
        i = close + 1
    return tuple(quotes)


def _opens_quote(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    if text[i] in "'‚":
        return not before.isalnum()
    return before.isspace() or before in "([:,;—–-/" or i == 0


def _closes_quote(text: str, j: int) -> bool:
    before = text[j - 1]
    after = text[j + 1] if j + 1 < len(text) else " "
    if before.isspace():
        return False
    return not after.isalnum()


def sentence_index(spans: tuple[tuple[int, int], ...], offset: int) -> int:
    """Index of the sentence holding ``offset`` (the nearest one before it at a gap)."""
    lo, hi = 0, len(spans) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if spans[mid][0] <= offset:
            best = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return best

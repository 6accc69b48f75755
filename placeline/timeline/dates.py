"""German and English temporal expressions, resolved against the publication date.

We own the grammar instead of calling dateparser: it reads the German article "die" as
Tuesday, finds nothing in "Mittwochabend" or "vergangene Woche" and, with ``languages=['de']``,
turns "December 8, 2016" into 8 August 2016. Every pattern below requires a calendar word
(a month, a weekday, a relative day word) or a preposition before a bare year, so ordinary
words and counts never become dates.

Resolution happens in two passes: ``find_time_expressions`` finds the spans and how to resolve
them (``_Found``); ``resolve`` turns them into ``TimeExpression`` objects given an anchor day.
The publication day itself may be inferred from the first pass (``infer_publication_day``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from placeline.model import TimeExpression

_MONTHS = {
    "januar": 1,
    "jänner": 1,
    "january": 1,
    "jan": 1,
    "februar": 2,
    "february": 2,
    "feb": 2,
    "märz": 3,
    "maerz": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "december": 12,
    "dez": 12,
    "dec": 12,
}
_WEEKDAYS = {
    "montag": 0,
    "monday": 0,
    "dienstag": 1,
    "tuesday": 1,
    "mittwoch": 2,
    "wednesday": 2,
    "donnerstag": 3,
    "thursday": 3,
    "freitag": 4,
    "friday": 4,
    "samstag": 5,
    "sonnabend": 5,
    "saturday": 5,
    "sonntag": 6,
    "sunday": 6,
}
_NUMBER_WORDS = {
    "ein": 1,
    "einem": 1,
    "einer": 1,
    "einen": 1,
    "a": 1,
    "an": 1,
    "one": 1,
    "zwei": 2,
    "two": 2,
    "drei": 3,
    "three": 3,
    "vier": 4,
    "four": 4,
    "fünf": 5,
    "five": 5,
    "sechs": 6,
    "six": 6,
    "sieben": 7,
    "seven": 7,
    "acht": 8,
    "eight": 8,
    "neun": 9,
    "nine": 9,
    "zehn": 10,
    "ten": 10,
    "zwölf": 12,
    "twelve": 12,
    "einigen": 3,
    "mehreren": 3,
    "several": 3,
    "few": 3,
}

_MONTH_NAMES = (
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
    r"|Dezember|January|February|March|May|June|July|October|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Okt|Oct|Nov|Dez|Dec)\.?"
)
# Full month names only where a month stands without a day (abbreviations are too ambiguous).
_FULL_MONTH = (
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November"
    r"|Dezember|January|February|March|May|June|July|October|December)"
)
_WEEKDAY_NAMES = (
    r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
)
_DAY_PARTS = r"(?:morgen|vormittag|mittag|nachmittag|abend|nacht|früh)"
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_COUNT = r"(?:\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_PREP_DE = r"(?:[Aa]m|[Vv]om|[Ss]eit|[Bb]is(?: zum)?|[Aa]b|[Zz]um)\s+"
_PREP_EN = r"(?:[Oo]n|[Ss]ince|[Uu]ntil|[Bb]y|[Ff]rom)\s+"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("iso-date", rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
        (
            "numeric-date",
            rf"(?:{_PREP_DE})?\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>{_YEAR}|\d{{2}})\b",
        ),
        (
            "day-month",
            (
                rf"(?:{_PREP_DE}|{_PREP_EN}|(?:[Tt]he)\s+)?\b(?P<d>[0-3]?\d)(?:\.|st|nd|rd|th)?\s+"
                rf"(?:of\s+)?(?P<mon>{_MONTH_NAMES})(?:,?\s+(?P<y>{_YEAR}))?\b"
            ),
        ),
        (
            "month-day",
            (
                rf"(?:{_PREP_EN})?\b(?P<mon>{_MONTH_NAMES})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
                rf"(?:,?\s+(?P<y>{_YEAR}))?\b(?!\.\d)"
            ),
        ),
        (
            "part-of-month",
            (
                rf"\b(?P<part>Anfang|Mitte|Ende|[Ee]arly|[Mm]id-?|[Ll]ate)\s*(?P<mon>{_FULL_MONTH})"
                rf"(?:\s+(?P<y>{_YEAR}))?\b"
            ),
        ),
        (
            "month",
            (
                rf"(?:\b(?:[Ii]m|[Ss]eit|[Bb]is|[Ii]n|[Ss]ince|[Uu]ntil|[Oo]f|[Bb]y|[Ll]ast|[Nn]ext"
                rf"|[Tt]his)\s+)(?P<mon>{_FULL_MONTH})(?:\s+(?P<y>{_YEAR}))?\b"
                rf"|\b(?P<mon2>{_FULL_MONTH})\s+(?P<y2>{_YEAR})\b"
            ),
        ),
        (
            "year",
            (
                rf"\b(?:(?:[Ii]m [Jj]ahr(?:e)?|[Ss]eit|[Bb]is|[Ii]n|[Ss]ince|[Uu]ntil|[Aa]nfang|[Ee]nde"
                rf"|[Mm]itte|[Ee]arly|[Ll]ate)\s+)(?P<y>{_YEAR})\b(?![.,]\d|\s*(?:Euro|Dollar|Menschen"
                rf"|people|Meter|km|%))"
            ),
        ),
        (
            "night-to-weekday",
            rf"\b[Ii]n der Nacht (?:zum|zu|auf) (?P<wd>{_WEEKDAY_NAMES})\b",
        ),
        (
            "weekday",
            (
                rf"(?:\b(?P<mod>[Aa]m|[Ss]eit|[Bb]is|[Aa]b|[Vv]ergangenen|[Ll]etzten|[Kk]ommenden"
                rf"|[Nn]ächsten|[Dd]iesen|[Oo]n|[Ll]ast|[Nn]ext|[Tt]his|[Ss]ince|[Uu]ntil|[Bb]y)\s+)?"
                rf"\b(?P<wd>{_WEEKDAY_NAMES})(?P<part>{_DAY_PARTS})?"
                rf"(?:\s+(?P<part_en>morning|afternoon|evening|night))?\b"
            ),
        ),
        (
            "relative-day",
            (
                r"\b(?P<rel>vorgestern|gestern|heute|übermorgen|Vorgestern|Gestern|Heute|Übermorgen"
                r"|(?<![Aa]m )(?<![Dd]en )(?<![Gg]uten )morgen|[Yy]esterday|[Tt]oday|[Tt]omorrow"
                r"|[Tt]onight)(?:\s+(?P<part>[Mm]orgen|[Vv]ormittag|[Mm]ittag|[Nn]achmittag|[Aa]bend"
                r"|[Nn]acht|[Ff]rüh|morning|afternoon|evening|night))?\b"
            ),
        ),
        ("right-away", r"\b(?:[Aa]b sofort|[Ee]ffective immediately)\b"),
        (
            "relative-unit",
            (
                r"\b(?P<mod>[Vv]ergangene[nrs]?|[Ll]etzte[nrs]?|[Vv]origen?[nrs]?|[Kk]ommende[nrs]?"
                r"|[Nn]ächste[nrs]?|[Dd]iese[nrs]?|[Ll]ast|[Nn]ext|[Tt]his|[Ii]n dieser|[Ii]n diesem"
                r"|[Ii]m vergangenen|[Ii]m letzten|[Ii]m kommenden|[Ii]m nächsten"
                r"|[Ii]n der vergangenen|[Ii]n der letzten|[Ii]n der kommenden|[Ii]n der nächsten)\s+"
                r"(?P<unit>Woche|Monat|Monats|Jahr|Jahres|Wochenende|week|month|year|weekend)\b"
            ),
        ),
        (
            "ago",
            (
                rf"\b(?:[Vv]or\s+(?P<n>{_COUNT})\s+(?P<unit>Tage[n]?|Wochen?|Monate[n]?|Monat|Jahre[n]?"
                rf"|Jahr)|(?P<n_en>{_COUNT})\s+(?P<unit_en>days?|weeks?|months?|years?)\s+ago)\b"
            ),
        ),
        (
            "recent-period",
            (
                rf"\b(?:[Ii]n den (?:vergangenen|letzten|zurückliegenden)(?:\s+(?P<n>{_COUNT}))?"
                rf"|[Ii]n (?:the )?(?:past|last|recent)(?:\s+(?:few|(?P<n_en>{_COUNT})))?"
                rf"|[Oo]ver the (?:past|last)(?:\s+(?:few|(?P<n_en2>{_COUNT})))?"
                rf"|[Ss]eit(?:\s+(?P<n2>{_COUNT}))?)"
                rf"\s+(?P<unit>Tagen|Wochen|Monaten|Jahren|days|weeks|months|years)\b"
            ),
        ),
    )
)

_PAST_CUES = re.compile(
    r"\b(?:hatte[n]?|hat|haben|war|waren|wurde[n]?|ist\s+\w+\s+worden|had|was|were|did"
    r"|bereits|already|ago)\b",
    re.IGNORECASE,
)
_FUTURE_CUES = re.compile(
    r"\b(?:wird|werden|will|soll|sollen|plant|planen|geplant|shall|going to|kommende[nrs]?"
    r"|nächste[nrs]?|next|upcoming)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundExpression:
    """A span recognised by the grammar, before it is resolved against an anchor day."""

    start: int
    end: int
    rule: str
    groups: dict[str, str | None]
    tense: str  # "past", "future" or "present": the clause around the expression


def find_time_expressions(
    text: str, sentences: tuple[tuple[int, int], ...]
) -> tuple[FoundExpression, ...]:
    """Find temporal expressions; longer (earlier-listed) patterns win over overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[FoundExpression] = []
    for rule, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            groups = match.groupdict()
            if rule == "weekday" and not _weekday_is_temporal(text, match):
                continue
            if rule == "month-day" and match["y"] is None and match["mon"] in ("May", "Mar"):
                continue
            taken.append((start, end))
            found.append(
                FoundExpression(start, end, rule, groups, _tense_around(text, sentences, start))
            )
    found.sort(key=lambda f: f.start)
    return tuple(found)


def _weekday_is_temporal(text: str, match: re.Match[str]) -> bool:
    """A bare German weekday needs a preposition or a part of day; English weekdays suffice."""
    if match["mod"] or match["part"] or match["part_en"]:
        return True
    return match["wd"].lower().endswith("day")


def _tense_around(text: str, sentences: tuple[tuple[int, int], ...], offset: int) -> str:
    from placeline.timeline.sentences import sentence_index

    if sentences:
        s_start, s_end = sentences[sentence_index(sentences, offset)]
    else:
        s_start, s_end = 0, len(text)
    # The clause: from the previous clause break to the next, so that the tense of the
    # attribution ("sagte") does not decide a date inside the quote.
    left = max(text.rfind(c, s_start, offset) for c in ',:;"„“»')
    right_candidates = [i for i in (text.find(c, offset, s_end) for c in ',:;"“«') if i >= 0]
    clause = text[max(left + 1, s_start) : min(right_candidates or [s_end])]
    if _FUTURE_CUES.search(clause):
        return "future"
    if _PAST_CUES.search(clause):
        return "past"
    return "present"


def resolve(
    found: FoundExpression, anchor: dt.date | None, anchor_year: int | None = None
) -> TimeExpression:
    """Resolve one expression; ``anchor`` is the publication day, ``anchor_year`` its year."""
    if anchor is not None:
        anchor_year = anchor.year
    value, granularity, r_start, r_end = _RESOLVERS[found.rule](found, anchor, anchor_year)
    return TimeExpression(
        start=found.start,
        end=found.end,
        text="",  # filled in by the caller, which holds the text
        value=value,
        granularity=granularity,
        range_start=r_start,
        range_end=r_end,
        rule=found.rule,
    )


_Resolution = tuple[str | None, str, str | None, str | None]


def _year_of(raw: str | None) -> int | None:
    if raw is None:
        return None
    year = int(raw)
    return year + (2000 if year < 50 else 1900) if year < 100 else year


def _safe_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _guess_year(
    month: int, day: int, found: FoundExpression, anchor: dt.date | None, anchor_year: int | None
) -> int | None:
    """A day-month without a year lies in the anchor's year, unless the tense moves it."""
    if anchor_year is None:
        return None
    if anchor is None:
        return anchor_year
    candidate = _safe_day(anchor_year, month, day)
    if candidate is None:
        return anchor_year
    if found.tense == "future" and candidate < anchor - dt.timedelta(days=60):
        return anchor_year + 1
    if found.tense == "past" and candidate > anchor + dt.timedelta(days=60):
        return anchor_year - 1
    return anchor_year


def _resolve_full_date(found, anchor, anchor_year) -> _Resolution:
    g = found.groups
    month = _MONTHS[g["mon"].rstrip(".").lower()] if g.get("mon") else int(g["m"])
    day = int(g["d"])
    year = _year_of(g.get("y")) or _guess_year(month, day, found, anchor, anchor_year)
    if year is None:
        return None, "day", None, None
    date = _safe_day(year, month, day)
    return (date.isoformat() if date else None), "day", None, None


def _resolve_part_of_month(found, anchor, anchor_year) -> _Resolution:
    g = found.groups
    month = _MONTHS[g["mon"].lower()]
    year = _year_of(g["y"]) or _guess_year(month, 15, found, anchor, anchor_year)
    if year is None:
        return None, "month", None, None
    last = calendar.monthrange(year, month)[1]
    part = g["part"].lower().rstrip("-")
    first_day, last_day = {
        "anfang": (1, 10),
        "early": (1, 10),
        "mitte": (11, 20),
        "mid": (11, 20),
    }.get(part, (21, last))
    return (
        f"{year:04d}-{month:02d}",
        "month",
        dt.date(year, month, first_day).isoformat(),
        dt.date(year, month, last_day).isoformat(),
    )


def _resolve_month(found, anchor, anchor_year) -> _Resolution:
    g = found.groups
    month = _MONTHS[(g["mon"] or g["mon2"]).lower()]
    year = _year_of(g["y"] or g["y2"]) or _guess_year(month, 15, found, anchor, anchor_year)
    if year is None:
        return None, "month", None, None
    return f"{year:04d}-{month:02d}", "month", None, None


def _resolve_year(found, anchor, anchor_year) -> _Resolution:
    return found.groups["y"], "year", None, None


def _weekday_offset(weekday: int, anchor: dt.date, direction: str) -> dt.date:
    if direction == "future":
        return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
    if direction == "present":
        back = (anchor.weekday() - weekday) % 7
        return anchor - dt.timedelta(days=back) if back <= 3 else anchor + dt.timedelta(7 - back)
    # Past: the most recent such weekday, the publication day included (news agencies write
    # "am Donnerstag" for the day of publication).
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def _direction(modifier: str | None, tense: str) -> str:
    mod = (modifier or "").lower()
    if mod in ("vergangenen", "letzten", "last", "seit", "since"):
        return "past"
    if mod in ("kommenden", "nächsten", "next", "bis", "until", "ab", "by"):
        return "future"
    return tense if tense != "present" else "past"


def _resolve_weekday(found, anchor, anchor_year) -> _Resolution:
    if anchor is None:
        return None, "day", None, None
    weekday = _WEEKDAYS[found.groups["wd"].lower()]
    day = _weekday_offset(weekday, anchor, _direction(found.groups.get("mod"), found.tense))
    modifier = (found.groups.get("mod") or "").lower()
    if modifier in ("last", "vergangenen") and day == anchor:
        day -= dt.timedelta(days=7)
    return day.isoformat(), "day", None, None


def _resolve_night_to(found, anchor, anchor_year) -> _Resolution:
    if anchor is None:
        return None, "day", None, None
    weekday = _WEEKDAYS[found.groups["wd"].lower()]
    direction = "future" if found.tense == "future" else "past"
    day = _weekday_offset(weekday, anchor, direction)
    return day.isoformat(), "day", (day - dt.timedelta(days=1)).isoformat(), day.isoformat()


_RELATIVE_DAYS = {
    "vorgestern": -2,
    "gestern": -1,
    "heute": 0,
    "morgen": 1,
    "übermorgen": 2,
    "yesterday": -1,
    "today": 0,
    "tomorrow": 1,
    "tonight": 0,
}


def _resolve_relative_day(found, anchor, anchor_year) -> _Resolution:
    if anchor is None:
        return None, "day", None, None
    shift = _RELATIVE_DAYS[found.groups["rel"].lower()]
    return (anchor + dt.timedelta(days=shift)).isoformat(), "day", None, None


def _resolve_right_away(found, anchor, anchor_year) -> _Resolution:
    if anchor is None:
        return None, "day", None, None
    return anchor.isoformat(), "day", anchor.isoformat(), None


def _unit_of(raw: str) -> str:
    raw = raw.lower()
    for unit, stems in (
        ("week", ("woche", "week")),
        ("month", ("monat", "month")),
        ("year", ("jahr", "year")),
        ("day", ("tag", "day")),
    ):
        if raw.startswith(stems):
            return unit
    return "weekend" if "wochenende" in raw else raw


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _resolve_relative_unit(found, anchor, anchor_year) -> _Resolution:
    mod = found.groups["mod"].lower()
    unit = _unit_of(found.groups["unit"])
    if "wochenende" in found.groups["unit"].lower() or found.groups["unit"].lower() == "weekend":
        unit = "weekend"
    step = (
        -1
        if any(w in mod for w in ("vergangen", "letzt", "vorig", "last"))
        else (1 if any(w in mod for w in ("kommend", "nächst", "next")) else 0)
    )
    if unit == "year":
        if anchor_year is None:
            return None, "year", None, None
        return f"{anchor_year + step:04d}", "year", None, None
    if anchor is None:
        return None, "vague" if unit in ("week", "weekend") else "month", None, None
    if unit == "month":
        month = _shift_months(anchor, step)
        return f"{month.year:04d}-{month.month:02d}", "month", None, None
    monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=step)
    if unit == "weekend":
        return (
            None,
            "vague",
            (monday + dt.timedelta(5)).isoformat(),
            (monday + dt.timedelta(6)).isoformat(),
        )
    return None, "vague", monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()


def _count(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    return int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw.lower(), default)


def _resolve_ago(found, anchor, anchor_year) -> _Resolution:
    g = found.groups
    n = _count(g["n"] or g["n_en"], 1)
    unit = _unit_of(g["unit"] or g["unit_en"])
    if anchor is None:
        return None, "day" if unit == "day" else "vague", None, None
    if unit == "day":
        return (anchor - dt.timedelta(days=n)).isoformat(), "day", None, None
    if unit == "week":
        centre = anchor - dt.timedelta(weeks=n)
        return (
            None,
            "vague",
            (centre - dt.timedelta(3)).isoformat(),
            (centre + dt.timedelta(3)).isoformat(),
        )
    if unit == "month":
        month = _shift_months(anchor, -n)
        return f"{month.year:04d}-{month.month:02d}", "month", None, None
    return f"{anchor.year - n:04d}", "year", None, None


def _resolve_recent_period(found, anchor, anchor_year) -> _Resolution:
    g = found.groups
    n = _count(g["n"] or g["n_en"] or g["n_en2"] or g["n2"], 3)
    unit = _unit_of(g["unit"])
    if anchor is None:
        return None, "vague", None, None
    if unit == "day":
        begin = anchor - dt.timedelta(days=n)
    elif unit == "week":
        begin = anchor - dt.timedelta(weeks=n)
    elif unit == "month":
        begin = _shift_months(anchor, -n)
    else:
        begin = _shift_months(anchor, -12 * n)
    return None, "vague", begin.isoformat(), anchor.isoformat()


_RESOLVERS = {
    "iso-date": _resolve_full_date,
    "numeric-date": _resolve_full_date,
    "day-month": _resolve_full_date,
    "month-day": _resolve_full_date,
    "part-of-month": _resolve_part_of_month,
    "month": _resolve_month,
    "year": _resolve_year,
    "night-to-weekday": _resolve_night_to,
    "weekday": _resolve_weekday,
    "relative-day": _resolve_relative_day,
    "right-away": _resolve_right_away,
    "relative-unit": _resolve_relative_unit,
    "ago": _resolve_ago,
    "recent-period": _resolve_recent_period,
}
ABSOLUTE_RULES = frozenset({"iso-date", "numeric-date", "day-month", "month-day"})
RELATIVE_RULES = frozenset({"weekday", "night-to-weekday", "relative-day", "ago"})


def infer_publication_day(
    found: tuple[FoundExpression, ...],
    *,
    known: dt.date | None,
    known_granularity: str | None,
) -> FoundExpression | None:
    """Pick the expression that gives the publication day, or None.

    The latest explicit day with a year is taken when it agrees with what is known (the header
    month or year). Without anything known, the text must also speak of recent days (a weekday,
    "gestern", "vor drei Tagen"): otherwise the latest date in a text is as likely history as
    news, and a wrong anchor is worse than none.
    """
    candidates: list[tuple[dt.date, FoundExpression]] = []
    for expression in found:
        if expression.rule not in ABSOLUTE_RULES or not expression.groups.get("y"):
            continue
        value = resolve(expression, None).value
        if value is None:
            continue
        day = dt.date.fromisoformat(value)
        if known is not None and known_granularity == "month":
            if (day.year, day.month) != (known.year, known.month):
                continue
        elif known is not None and known_granularity == "year" and day.year != known.year:
            continue
        candidates.append((day, expression))
    if not candidates:
        return None
    if known is None and not any(e.rule in RELATIVE_RULES for e in found):
        return None
    return max(candidates, key=lambda c: (c[0], c[1].start))[1]


_HEADER = re.compile(
    r"^\s*(?P<span>(?:date|datum|published|veröffentlicht)\s*:?\s*"
    r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?)\b",
    re.IGNORECASE,
)


def find_header_date(text: str) -> TimeExpression | None:
    """The date header of a text export ("date 2016-12") as a TimeExpression."""
    match = _HEADER.match(text[:80].split("\n", 1)[0])
    if not match:
        return None
    year, month, day = match["y"], match["m"], match["d"]
    if day and month:
        value, granularity = f"{year}-{int(month):02d}-{int(day):02d}", "day"
    elif month:
        value, granularity = f"{year}-{int(month):02d}", "month"
    else:
        value, granularity = year, "year"
    start, end = match.span("span")
    return TimeExpression(
        start=start,
        end=end,
        text=text[start:end],
        value=value,
        granularity=granularity,
        rule="header",
    )

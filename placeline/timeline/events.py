"""Events: clauses that report something that happened, with their date, places and actors.

A clause is an event when it has an event word (a verb or noun of happening, German or English)
or a date, and is not hypothetical (Konjunktiv II, modal verbs, conditionals). Its date is a
temporal expression inside it; present-tense clauses of the lead paragraph happen on the
publication day (rule "lead-present", a span on the verb). Everything else stays undated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from placeline.model import Place, TimeExpression
from placeline.timeline.people import PersonIndex

_EVENT_WORDS = re.compile(
    r"\b(?:"
    # German verbs (finite forms and participles) and nouns of happening
    r"verhandel\w*|verhandelt\w*|berat(?:en|et)|berieten?|geredet|redeten|trafen|trifft|treffen"
    r"|getroffen|gefordert|forderten?|fordert|angegriffen|griffen?\s|greifen|bombardiert\w*"
    r"|beschoss\w*|beschossen|belager\w*|getötet|tötete\w*|starben?|gestorben|flohen|floh"
    r"|geflohen|flüchtete\w*|geflüchtet|gebracht|brachten?|evakuiert\w*|unterzeichne\w*"
    r"|beschlossen|beschloss|gewählt|wählten|verweiger\w*|abgelehnt|lehnte\w*|Absage"
    r"|einmarschiert\w*|Einmarsch\w*|verließen|verlassen\s+haben|zugestimmt|gestoppt"
    r"|Zuflucht\s+gefunden|explodierte\w*|festgenommen|verhaftet\w*|eröffnete\w*|eröffnet"
    r"|begann|begonnen|Beginn|endete|erobert\w*|zurückerobert|landete\w*|besuchte\w*|reiste\w*"
    r"|gekämpft|kämpften|Angriffe?|Luftangriffe?|Anschlag|Explosion|Belagerung|Gipfel\w*"
    # English
    r"|met|meets|talked|talks|attacked|attacks|killed|kills|died|dies|fled|flees|signed|signs"
    r"|launched|launches|arrested|charged|opened|closed|voted|elected|held|holds|visited"
    r"|visits|began|begins|started|ended|struck|strikes|bombed|called\s+for|calls\s+for"
    r"|rejected|rejects|agreed|agrees|burned|investigated|sentenced|crashed|won|evacuated"
    r"|injured|destroyed|seized|captured|occurred|happened|raided|shot|fired|collapsed"
    r")\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:könnte|könnten|würde|würden|wäre|wären|hätte|hätten|hieße|sollte|sollten|sollen"
    r"|soll|kann|können|will|wollen|wolle|müssen|muss|falls|wenn|sei|seien|habe|könne"
    r"|would|could|might|should|if|unless|can)\b",
    re.IGNORECASE,
)
# A negated clause reports that something did not happen ("Alle Gespräche haben nichts
# gebracht"): no event.
_NEGATION = re.compile(r"\b(?:nicht|nichts|kein|keine|keinen|keinem|not|never|no)\b|n't\b")
# Anaphors that point back to the last city named before them.
_CITY_ANAPHOR = re.compile(r"\b(?:[Dd]ie|[Dd]er|[Tt]he) (?:Stadt|city|town)\b")
# "beide Politiker", "both men": the two people of the sentence before.
_BOTH = re.compile(r"\b(?:[Bb]eide|[Bb]oth)\s+(?:[A-ZÄÖÜ]\w+|men|women|leaders|sides)\b")
_PAST_AUXILIARY = re.compile(
    r"\b(?:hatte|hatten|hat|haben|war|waren|wurde|wurden|had|was|were|did)\b"
)
# Preterite event words; "beraten" (present) must not count, "berieten" must.
_PAST_TRIGGER = re.compile(
    r"(?:[^a]te|[^a]ten|ed|trafen|flohen|floh|starben?|begann|beschloss|griffen?|met|fled|won"
    r"|began|held|struck|shot)$"
)
_CLAUSE_BREAK = re.compile(r":\s+(?=[\"„“»A-ZÄÖÜ])|;\s+")


@dataclass(frozen=True)
class FoundEvent:
    start: int
    end: int
    date: TimeExpression | None
    places: tuple[str, ...]
    actors: tuple[str, ...]
    triggers: frozenset[str]  # stems of the event words, to recognise a happening told twice


def find_events(
    text: str,
    sentences: tuple[tuple[int, int], ...],
    *,
    dates: tuple[TimeExpression, ...],
    places: tuple[Place, ...],
    people: PersonIndex,
    lead_end: int,
    publication_value: str | None,
    lang: str,
) -> tuple[FoundEvent, ...]:
    """Find the events, one per happening, in text order."""
    found: list[FoundEvent] = []
    previous_sentence = (0, 0)
    for s_start, s_end in sentences:
        for c_start, c_end in _clauses(text, s_start, s_end):
            event = _event_in_clause(
                text,
                c_start,
                c_end,
                s_end,
                dates,
                places,
                people,
                lead_end,
                publication_value,
                lang,
                previous_sentence,
            )
            if event:
                found.append(event)
        previous_sentence = (s_start, s_end)
    return tuple(_merge_same_happenings(found))


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence at a colon or semicolon that starts a new main clause."""
    spans = []
    cursor = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((cursor, match.start() + 1))
        cursor = match.end()
    spans.append((cursor, end))
    return spans


def _event_in_clause(
    text: str,
    start: int,
    end: int,
    sentence_end: int,
    dates: tuple[TimeExpression, ...],
    places: tuple[Place, ...],
    people: PersonIndex,
    lead_end: int,
    publication_value: str | None,
    lang: str,
    previous_sentence: tuple[int, int],
) -> FoundEvent | None:
    clause = text[start:end]
    trigger = _EVENT_WORDS.search(clause)
    if trigger is None:
        return None
    hypothetical = [m for m in _HYPOTHETICAL.finditer(clause)]
    if lang == "en":
        hypothetical = [m for m in hypothetical if m.group().lower() != "will"]
    if hypothetical or _NEGATION.search(clause):
        return None
    # A clause that announces a quotation ("… erteilte eine Absage: "…"") is one happening
    # with the quotation, so its evidence runs to the end of the sentence.
    if clause.rstrip().endswith(":") and text[end:sentence_end].lstrip()[:1] in '"„“»':
        end = sentence_end
    date = next(
        (d for d in dates if start <= d.start and d.end <= end and d.rule != "header"), None
    )
    if date is None and start < lead_end and publication_value is not None:
        word = trigger.group().strip()
        if not (_PAST_AUXILIARY.search(clause) or _PAST_TRIGGER.search(word) or word.istitle()):
            date = TimeExpression(
                start=start + trigger.start(),
                end=start + trigger.start() + len(trigger.group().rstrip()),
                text=trigger.group().rstrip(),
                value=publication_value,
                granularity="day",
                rule="lead-present",
            )
    place_ids = _places_in(start, end, places)
    if not place_ids and _CITY_ANAPHOR.search(clause):
        city = _last_city_before(start, places)
        place_ids = (city,) if city else ()
    names = [m.name for m in people.names_in(start, end)]
    if not names and _BOTH.search(clause):
        previous = [m.name for m in people.names_in(previous_sentence[0], previous_sentence[1])]
        names = list(dict.fromkeys(previous)) if len(set(previous)) == 2 else []
    actors = tuple(dict.fromkeys(names + people.organisations_in(start, end)))
    stems = frozenset(_stem(m.group()) for m in _EVENT_WORDS.finditer(clause))
    return FoundEvent(start, end, date, place_ids, actors, stems)


def _places_in(start: int, end: int, places: tuple[Place, ...]) -> tuple[str, ...]:
    hits: list[tuple[int, str]] = []
    for place in places:
        for mention in place.mentions:
            if start <= mention.start and mention.end <= end:
                hits.append((mention.start, place.id))
    hits.sort()
    return tuple(dict.fromkeys(place_id for _, place_id in hits))


def _last_city_before(offset: int, places: tuple[Place, ...]) -> str | None:
    best: tuple[int, str] | None = None
    for place in places:
        if place.kind != "city":
            continue
        for mention in place.mentions:
            if mention.end <= offset and (best is None or mention.start > best[0]):
                best = (mention.start, place.id)
    return best[1] if best else None


def _stem(trigger: str) -> str:
    return trigger.strip().lower()[:5]


def _merge_same_happenings(events: list[FoundEvent]) -> list[FoundEvent]:
    """One event per happening: a lead told twice (headline and first sentence), or the same
    undated happening mentioned again with the same event word and a shared actor or place."""
    kept: list[FoundEvent] = []
    for event in events:
        twin = next((k for k in kept if _same_happening(k, event)), None)
        if twin is None:
            kept.append(event)
            continue
        richer = max((twin, event), key=lambda e: (len(e.actors), len(e.places), e.end - e.start))
        merged = FoundEvent(
            richer.start,
            richer.end,
            richer.date,
            tuple(dict.fromkeys(twin.places + event.places)),
            tuple(dict.fromkeys(twin.actors + event.actors)),
            twin.triggers | event.triggers,
        )
        kept[kept.index(twin)] = merged
    kept.sort(key=lambda e: e.start)
    return kept


def _same_happening(a: FoundEvent, b: FoundEvent) -> bool:
    if a.date is not None and b.date is not None:
        if a.date.rule == b.date.rule == "lead-present":
            return True
        if a.date.value != b.date.value:
            return False
    elif a.date is not None or b.date is not None:
        return False
    if not a.triggers & b.triggers:
        return False
    return bool(set(a.actors) & set(b.actors) or set(a.places) & set(b.places))

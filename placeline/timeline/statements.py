"""Who said what: direct quotations and indirect speech, each tied to a speech cue.

A quotation without a speech cue ("al-Watan", scare quotes, a tweet's words) is no statement;
precision on other texts matters more than one more quote on the seed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from placeline.model import Place, Span, Speaker, TimeExpression
from placeline.timeline.people import PersonIndex, speaker_phrase
from placeline.timeline.sentences import Quotation

_CUE_WORDS = (
    # German
    r"sagte|sagten|sagt|gesagt|erklärte|erklärten|erklärt|betonte|betont|meinte|meint"
    r"|äußerte(?:\s+sich)?|teilte\s+\w+\s+mit|mitgeteilt|kündigte\s+\w+\s+an|warnte|warnt"
    r"|bekräftigte|bekräftigt|warf|wirft|vorgeworfen|berichtete|berichtet|behauptete|behauptet"
    r"|versicherte|versichert|bestätigte|bestätigt|dementierte|kritisierte|kritisiert"
    r"|erwiderte|antwortete|schrieb|twitterte|fügte\s+\w+\s+hinzu|hinzugefügt|räumte\s+\w+\s+ein"
    r"|machte\s+\w+\s+deutlich|deutlich\s+gemacht|unterstrich|zitiert|forderte"
    # English
    r"|said|says|say|told|tells|added|stated|announced|explained|warned|claimed|insisted|noted"
    r"|wrote|tweeted|argued|confirmed|denied|acknowledged|admitted|replied|asked"
)
CUE = re.compile(rf"\b(?:{_CUE_WORDS})\b")
_AFTER_QUOTE = re.compile(rf"^[,;.!?]?\s*(?:(?P<cue>{_CUE_WORDS})|so)\s+(?P<rest>.*)", re.DOTALL)
_EN_AFTER_QUOTE = re.compile(
    r"^[,;.!?]?\s*(?P<subject>[A-Z][\w.'-]*(?:\s+[A-Z][\w'-]*){0,2}|he|she|they)\s+"
    r"(?P<cue>said|says|added|told|explained|wrote|tweeted)\b"
)
_KONJUNKTIV_I = re.compile(
    r"\b(?:sei|seien|seiest|habe|könne|wolle|werde|müsse|solle|dürfe|möge|gebe|liege|stehe"
    r"|komme|gehe|wisse|halte|sehe|bleibe|lasse|fehle|brauche|handle|verfüge|bestehe|existiere"
    r"|arbeite|plane|hätten|würden|wären)\b"
)
_MEDIUM = re.compile(
    r"\b(?:in\s+einem|im|in\s+an?|einem|dem)\s+(?P<m>(?:Interview|Gespräch|interview|statement"
    r"|Fernsehinterview|Radiointerview)\s+(?:mit|with)\s+(?:(?:der|dem|den|the|einer|einem)\s+)?"
    r"(?:[a-zäöü][\wäöüß-]*\s+){0,2}(?:[A-ZÄÖÜ„\"»][\w„“\"»«.-]*(?:\s+|$)){1,3})"
    r"|\bgegenüber\s+(?P<g>(?:der|dem|den)\s+[^,.;:]+?)(?=\s*(?:[,.;:]|$|sagte))"
    r"|\btold\s+(?P<t>(?:the\s+)?[A-Z][^,.;:]+?)(?=\s*(?:[,.;:]|$))",
)
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at)\s+$")
_QUOTE_MARKS = "\"„“”»«'‚‘’"


@dataclass(frozen=True)
class FoundStatement:
    quote: Span
    speaker: Speaker
    sentence: tuple[int, int]
    attribution: tuple[int, int]  # the stretch outside the quote where the cue stands
    indirect: bool
    medium: str | None
    said_at: str | None
    date: TimeExpression | None


class StatementFinder:
    """Finds the statements of one document; built once per document."""

    def __init__(
        self,
        text: str,
        sentences: tuple[tuple[int, int], ...],
        quotations: tuple[Quotation, ...],
        people: PersonIndex,
        places: tuple[Place, ...],
        dates: tuple[TimeExpression, ...],
    ) -> None:
        self.text = text
        self.sentences = sentences
        self.quotations = quotations
        self.people = people
        self.places = places
        self.dates = dates
        self._quote_spans = tuple((q.open_at, q.close_at + 1) for q in quotations)

    def find(self) -> tuple[FoundStatement, ...]:
        found: list[FoundStatement] = []
        claimed: list[tuple[int, int]] = []
        for quotation in self.quotations:
            statement = self._direct(quotation)
            if statement:
                found.append(statement)
                claimed.append((quotation.open_at, quotation.close_at + 1))
        for sentence in self.sentences:
            for statement in self._indirect(sentence, claimed):
                found.append(statement)
                claimed.append((statement.quote.start, statement.quote.end))
        found.sort(key=lambda s: s.quote.start)
        return tuple(found)

    # -- direct quotations ------------------------------------------------------------------
    def _sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        first = next((s for s in self.sentences if s[1] > start), (start, end))
        last = next((s for s in reversed(self.sentences) if s[0] < end), (start, end))
        return min(first[0], start), max(last[1], end)

    def _direct(self, quotation: Quotation) -> FoundStatement | None:
        text = self.text
        s_start, s_end = self._sentence_bounds(quotation.open_at, quotation.close_at + 1)
        after_text = text[quotation.close_at + 1 : s_end]
        speaker, attribution, cue_end = None, None, None
        after = _AFTER_QUOTE.match(after_text)
        if after:
            cue_end = quotation.close_at + 1 + after.start("rest")
            speaker = self._speaker_at(after["rest"], cue_end)
            attribution = (quotation.close_at + 1, s_end)
        if speaker is None:
            en = _EN_AFTER_QUOTE.match(after_text)
            if en:
                speaker = self._speaker_at(en["subject"], quotation.close_at + 1 + en.start(1))
                cue_end = quotation.close_at + 1 + en.end()
                attribution = (quotation.close_at + 1, s_end)
        if speaker is None:
            before_start = max(
                [s_start]
                + [q_end for q_start, q_end in self._quote_spans if q_end <= quotation.open_at]
            )
            before_text = text[before_start : quotation.open_at]
            if re.search(r"[:,]\s*$", before_text):
                cues = list(CUE.finditer(before_text))
                if cues:
                    speaker = self._speaker_before(before_start, before_start + cues[-1].start())
                    if speaker is None:
                        speaker = self._speaker_at(
                            before_text[cues[-1].end() :], before_start + cues[-1].end()
                        )
                    attribution = (before_start, quotation.open_at)
                    cue_end = before_start + cues[-1].end()
        if speaker is None or attribution is None:
            return None
        return self._statement(
            quotation.start,
            quotation.end,
            speaker,
            (s_start, s_end),
            attribution,
            cue_end,
            indirect=False,
        )

    # -- indirect speech --------------------------------------------------------------------
    def _indirect(
        self, sentence: tuple[int, int], claimed: list[tuple[int, int]]
    ) -> list[FoundStatement]:
        text = self.text
        s_start, s_end = sentence
        out: list[FoundStatement] = []
        for cue in CUE.finditer(text, s_start, s_end):
            if self._inside_quote(cue.start()):
                continue
            comma = re.match(r"[^,.;:\"„“]{0,40}?(?:\s+vor)?,\s+", text[cue.end() : s_end])
            that = re.match(r"\s+that\s+", text[cue.end() : s_end])
            if that:
                comp_start = cue.end() + that.start() + 1
            elif comma:
                comp_start = cue.end() + comma.end()
            else:
                continue
            comp_end = s_end
            while comp_end > comp_start and text[comp_end - 1] in ".!?":
                comp_end -= 1
            complement = text[comp_start:comp_end]
            if not that and not _KONJUNKTIV_I.search(complement):
                continue
            if any(s < comp_end and comp_start < e for s, e in claimed):
                continue
            inner = [
                q for q in self.quotations if comp_start <= q.open_at and q.close_at < comp_end
            ]
            indirect = True
            q_start, q_end = comp_start, comp_end
            if len(inner) == 1:
                outside = complement.replace(text[inner[0].open_at : inner[0].close_at + 1], " ")
                if len(outside.split()) <= 3:
                    q_start, q_end, indirect = inner[0].start, inner[0].end, False
            speaker = self._speaker_before(s_start, cue.start())
            if speaker is None:
                speaker = self._speaker_at(text[cue.end() : comp_start], cue.end())
            if speaker is None:
                continue
            out.append(
                self._statement(
                    q_start,
                    q_end,
                    speaker,
                    sentence,
                    (s_start, comp_start),
                    cue.end(),
                    indirect=indirect,
                )
            )
            break
        return out

    def _inside_quote(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self._quote_spans)

    # -- speakers ---------------------------------------------------------------------------
    def _speaker_before(self, start: int, cue_start: int) -> Speaker | None:
        """The subject of the cue's clause, else of the sentence: the first name, organisation
        or pronoun before the cue ("…, and Pogemiller has said that …" is Pogemiller's)."""
        before = self.text[start:cue_start]
        breaks = [m.end() for m in re.finditer(r",\s+(?:and|but|und|aber)\s+|;\s+", before)]
        if breaks:
            speaker = self._subject_in(start + breaks[-1], cue_start)
            if speaker is not None:
                return speaker
        return self._subject_in(start, cue_start)

    def _subject_in(self, start: int, cue_start: int) -> Speaker | None:
        segment_start = start
        # Skip a leading subordinate clause ("Doch noch während …, erteilte …").
        text = self.text[segment_start:cue_start]
        names = [
            m
            for m in self.people.names_in(segment_start, cue_start)
            if not self._inside_quote(m.start)
        ]
        for match in re.finditer(r"(?:^|(?<=[\s,]))(\S)", text):
            offset = segment_start + match.start(1)
            if self._inside_quote(offset):
                continue
            phrase = speaker_phrase(self.text[offset:cue_start])
            if phrase is None:
                continue
            kind, value = phrase
            if kind == "org":
                return Speaker(name=value)
            if kind == "pronoun":
                return self._resolve_reference(offset)
            if kind == "name":
                name = next(
                    (m.name for m in names if offset <= m.start < offset + len(value)), None
                )
                if name:
                    return Speaker(name=name, role=self.people.role_of(name))
        if names:
            return Speaker(name=names[0].name, role=self.people.role_of(names[0].name))
        return None

    def _speaker_at(self, phrase_text: str, offset: int) -> Speaker | None:
        """The subject right after an inverted cue ("sagte der Politiker", "so Kerry")."""
        stripped = phrase_text.lstrip()
        offset += len(phrase_text) - len(stripped)
        phrase = speaker_phrase(stripped)
        if phrase is None:
            return None
        kind, value = phrase
        if kind == "org":
            return Speaker(name=value)
        if kind in ("pronoun", "description"):
            return self._resolve_reference(offset)
        mention = next((m for m in self.people.mentions if m.start == offset), None)
        if mention:
            return Speaker(name=mention.name, role=self.people.role_of(mention.name))
        return Speaker(name=value.split(" in ")[0].strip())

    def _resolve_reference(self, offset: int) -> Speaker | None:
        mention = self.people.last_before(offset, skip=self._quote_spans)
        if mention is None:
            return None
        return Speaker(name=mention.name, role=self.people.role_of(mention.name))

    # -- the rest ---------------------------------------------------------------------------
    def _statement(
        self,
        q_start: int,
        q_end: int,
        speaker: Speaker,
        sentence: tuple[int, int],
        attribution: tuple[int, int],
        cue_end: int | None,
        *,
        indirect: bool,
    ) -> FoundStatement:
        text = self.text
        a_start, a_end = attribution
        outside = (a_start, a_end)
        medium = _medium(text[sentence[0] : sentence[1]])
        said_at = None
        if cue_end is not None:
            for place in self.places:
                for mention in place.mentions:
                    after_cue = cue_end <= mention.start < a_end
                    in_quote = q_start <= mention.start < q_end
                    preposition = _PLACE_PREPOSITION.search(
                        text[max(0, mention.start - 4) : mention.start]
                    )
                    if after_cue and not in_quote and preposition:
                        said_at = said_at or place.id
        date = next(
            (
                d
                for d in self.dates
                if outside[0] <= d.start
                and d.end <= outside[1]
                and not (q_start <= d.start < q_end)
            ),
            None,
        )
        return FoundStatement(
            quote=Span(q_start, q_end, text[q_start:q_end]),
            speaker=speaker,
            sentence=sentence,
            attribution=attribution,
            indirect=indirect,
            medium=medium,
            said_at=said_at,
            date=date,
        )


def _medium(sentence_text: str) -> str | None:
    match = _MEDIUM.search(sentence_text)
    if not match:
        return None
    raw = match["m"] or match["g"] or match["t"]
    return " ".join(raw.translate({ord(c): None for c in _QUOTE_MARKS}).split()).rstrip(".,;:")

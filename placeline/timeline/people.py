"""Person names, organisations and roles, and who a pronoun or description refers to.

No NER model: a news article introduces a person once with the full name, usually next to a
role ("Vize-Außenminister Sergej Rybakow", "Dmitrij Peskow, Sprecher von …") and then uses the
surname ("Kerry") or a description ("der Politiker", "der norwegische Diplomat"). We find the
introduced full names and map the later references back to them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_NAME_TOKEN = (
    r"(?:(?:al|el|as|ad|ash|bin|ibn|abu)-)?[A-ZÄÖÜÉ][a-zäöüßéèáíóúçñšćčğ]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
)
_PARTICLE = r"(?:van|von|de|da|di|del|bin|ibn|al|el|ben|der|zu|le|la)"
FULL_NAME = re.compile(rf"\b{_NAME_TOKEN}(?:\s+{_PARTICLE})?(?:\s+{_NAME_TOKEN}){{1,2}}\b")
NAME_WORD = re.compile(rf"\b{_NAME_TOKEN}\b")

# Role nouns, matched as the end of a word so compounds count ("Vize-Außenminister").
_ROLE_ENDINGS = (
    "minister",
    "ministerin",
    "sprecher",
    "sprecherin",
    "chef",
    "chefin",
    "präsident",
    "präsidentin",
    "kanzler",
    "kanzlerin",
    "diplomat",
    "diplomatin",
    "botschafter",
    "botschafterin",
    "bürgermeister",
    "bürgermeisterin",
    "sekretär",
    "sekretärin",
    "vorsitzende",
    "vorsitzender",
    "leiter",
    "leiterin",
    "direktor",
    "direktorin",
    "kommandeur",
    "general",
    "senator",
    "senatorin",
    "abgeordnete",
    "abgeordneter",
    "politiker",
    "politikerin",
    "diktator",
    "könig",
    "königin",
    "premier",
    "beauftragte",
    "beauftragter",
    "gouverneur",
    "experte",
    "expertin",
    "analyst",
    "analystin",
    "sprecher",
    "president",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "governor",
    "mayor",
    "chief",
    "director",
    "ambassador",
    "sheriff",
    "officer",
    "commissioner",
    "chairman",
    "chairwoman",
    "leader",
    "judge",
    "attorney",
    "professor",
    "prosecutor",
    "superintendent",
    "coach",
    "manager",
    "ministre",
    "führer",
    "führerin",
    "richter",
    "richterin",
    "anwalt",
    "anwältin",
)
_ORG_WORDS = (
    "kreml",
    "kremlin",
    "stadtrat",
    "regierung",
    "bundesregierung",
    "ministerium",
    "polizei",
    "armee",
    "militär",
    "uno",
    "un",
    "nato",
    "eu",
    "behörde",
    "behörden",
    "gericht",
    "staatsanwaltschaft",
    "kommission",
    "parlament",
    "rat",
    "pentagon",
    "police",
    "ministry",
    "government",
    "council",
    "department",
    "army",
    "court",
    "agency",
    "office",
    "committee",
    "rebellen",
    "regime",
    "weiße haus",
    "white house",
    "verwaltung",
    "stadtverwaltung",
    "opposition",
    "feuerwehr",
    "bundestag",
    "senat",
    "senate",
    "company",
    "firma",
    "konzern",
)
_ORG_HEAD = re.compile(
    r"\b(?:[Dd](?:er|ie|as|es|em)\s+|[Tt]he\s+)?(?:[a-zäöü]+[e][rns]?\s+)?"
    r"(?P<head>[A-ZÄÖÜ][\wäöüß-]*(?:"
    + "|".join(sorted({w for w in _ORG_WORDS if " " not in w}, key=len, reverse=True))
    + r")s?)(?P<of>\s+(?:von|of|in|der|des)\s+(?:der\s+|the\s+)?"
    + _NAME_TOKEN
    + r")?\b",
)
_NOT_NAMES = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "am",
        "im",
        "auf",
        "aus",
        "bei",
        "mit",
        "nach",
        "von",
        "vor",
        "zu",
        "zum",
        "zur",
        "und",
        "oder",
        "aber",
        "doch",
        "auch",
        "noch",
        "nur",
        "schon",
        "selbst",
        "sogar",
        "so",
        "wie",
        "wenn",
        "als",
        "ob",
        "dass",
        "weil",
        "während",
        "er",
        "sie",
        "es",
        "wir",
        "ihr",
        "man",
        "wer",
        "was",
        "wo",
        "erst",
        "zudem",
        "außerdem",
        "bereits",
        "offenbar",
        "entsprechend",
        "sicher",
        "für",
        "gegen",
        "über",
        "unter",
        "seit",
        "bis",
        "ab",
        "alle",
        "alles",
        "viele",
        "einige",
        "diese",
        "dieser",
        "dieses",
        "jeder",
        "jede",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "to",
        "as",
        "if",
        "when",
        "while",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "it",
        "we",
        "they",
        "his",
        "her",
        "their",
        "its",
        "our",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "new",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "januar",
        "februar",
        "märz",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "dezember",
        "january",
        "february",
        "march",
        "june",
        "july",
        "october",
        "december",
        "staats",
        "regierungschefs",
        "menschen",
        "truppen",
        "plan",
        "pläne",
        "gespräche",
        "street",
        "road",
        "avenue",
        "county",
        "parish",
        "district",
        "fire",
        "department",
        "office",
        "city",
        "town",
        "university",
        "school",
        "church",
        "hospital",
        "center",
        "centre",
        "police",
        "court",
        "news",
        "times",
        "inc",
        "corp",
        "company",
        "assembly",
        "finance",
        "commissioners",
        "commissioner",
        "tax",
        "assessors",
        "board",
        "house",
        "senate",
        "state",
        "deputy",
        "sgt",
        "capt",
        "lt",
        "det",
        "lake",
        "river",
        "mount",
        "county",
        "park",
        "hall",
    ]
)
_GERMAN_NOUN_ENDINGS = ("ung", "heit", "keit", "schaft", "tion", "ismus", "chen", "tät", "nis")
_PRONOUNS = frozenset(["er", "sie", "he", "she"])
# A capitalised word after one of these is a noun phrase, not a name ("jeden Tag Zugang").
DETERMINERS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "jeden",
        "jede",
        "jeder",
        "jedes",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "alle",
        "allen",
        "diese",
        "diesen",
        "diesem",
        "dieser",
        "mehr",
        "viele",
        "vielen",
        "einige",
        "einigen",
        "beide",
        "beiden",
        "seine",
        "seinen",
        "seiner",
        "ihre",
        "ihren",
        "ihrer",
        "the",
        "a",
        "an",
        "this",
        "that",
        "every",
        "each",
        "no",
    ]
)


@dataclass(frozen=True)
class PersonMention:
    start: int
    end: int
    name: str  # the full name this mention refers to


def _is_name_word(word: str) -> bool:
    lower = word.lower()
    bare = _NAME_PREFIX.sub("", lower)
    if lower in _NOT_NAMES or bare in _NOT_NAMES:
        return False
    if is_role_word(word) or is_org_word(word):
        return False
    return not bare.endswith(_GERMAN_NOUN_ENDINGS)


def is_role_word(word: str) -> bool:
    return word.lower().endswith(_ROLE_ENDINGS)


def is_org_word(word: str) -> bool:
    lower = word.lower().rstrip("s")
    return lower in _ORG_WORDS or word.lower() in _ORG_WORDS


_NAME_PREFIX = re.compile(r"^(?:al|el|as|ad|ash|bin|ibn|abu)-", re.IGNORECASE)


def surname_key(name: str) -> str:
    return _NAME_PREFIX.sub("", name.rsplit(None, 1)[-1]).lower()


class PersonIndex:
    """The people of one article: their full names, roles and every mention by offset."""

    def __init__(self, text: str, *, blocked: tuple[tuple[int, int], ...] = ()) -> None:
        self.text = text
        # Place mentions, never part of a person name; sorted by start with the longest
        # length, so an overlap test looks at the few that can reach (a scan of all took
        # 0.8 s on a 200,000-character text).
        self._blocked = sorted(blocked)
        self._blocked_starts = [s for s, _ in self._blocked]
        self._blocked_longest = max((e - s for s, e in self._blocked), default=0)
        self.full_names: dict[str, str] = {}  # surname key -> full name
        self.roles: dict[str, str] = {}
        self.mentions: list[PersonMention] = []
        self._after_determiner = self._words_after_determiners(text)
        self._find_full_names()
        self._find_mentions()
        self._mention_ends = [m.end for m in self.mentions]

    def _overlaps_place(self, start: int, end: int) -> bool:
        low = bisect.bisect_left(self._blocked_starts, start - self._blocked_longest)
        high = bisect.bisect_left(self._blocked_starts, end)
        return any(start < e for _, e in self._blocked[low:high])

    def _find_full_names(self) -> None:
        text = self.text
        surname_counts: dict[str, int] = {}
        for match in NAME_WORD.finditer(text):
            key = surname_key(match.group())
            surname_counts[key] = surname_counts.get(key, 0) + 1
        for match in FULL_NAME.finditer(text):
            words = match.group().split()
            # Drop leading words that cannot start a name ("Staatschef Wladimir Putin").
            offset = match.start()
            while words and not _is_name_word(words[0]):
                offset += len(words[0]) + 1
                words = words[1:]
            if len(words) < 2:
                # "Der Diplomat Jan Egeland": the name starts inside the match and runs on.
                rest = FULL_NAME.match(text, offset)
                words = rest.group().split() if rest else words
            if len(words) < 2 or not all(_is_name_word(w) for w in words if w.islower() is False):
                continue
            name = " ".join(words)
            start, end = offset, offset + len(name)
            if self._overlaps_place(start, end):
                continue
            role = self._role_near(start, end)
            if role is None and not self._recurs_as_name(name, surname_counts):
                continue
            previous = re.search(r"(\w+)\s+$", text[max(0, start - 20) : start])
            if role is None and previous and previous.group(1) in DETERMINERS:
                continue
            key = surname_key(name)
            self.full_names.setdefault(key, name)
            if role and key not in self.roles:
                self.roles[key] = role

    @staticmethod
    def _words_after_determiners(text: str) -> frozenset[str]:
        """Words that stand one or two words after a lowercase determiner ("die Kerry-Sorte",
        "der alte Kerry"). Collected in one pass: a regex per candidate name made long
        articles quadratic (a 200,000-character text spent seconds here)."""
        words = re.findall(r"\w+", text)
        found = set()
        for index, word in enumerate(words):
            for back in (1, 2):
                if index >= back:
                    previous = words[index - back]
                    if previous in DETERMINERS and not previous[0].isupper():
                        found.add(word)
        return frozenset(found)

    def _recurs_as_name(self, name: str, surname_counts: dict[str, int]) -> bool:
        """The surname appears again, and never as a noun after a determiner."""
        key = surname_key(name)
        if surname_counts.get(key, 0) < 2:
            return False
        return name.split()[-1] not in self._after_determiner

    def _role_near(self, start: int, end: int) -> str | None:
        text = self.text
        before = re.search(r"([A-ZÄÖÜa-zäöü][\wäöüß-]*)\s+$", text[max(0, start - 60) : start])
        if before and is_role_word(before.group(1)):
            return before.group(1)
        after = re.match(
            r",\s+(?:the\s+|der\s+|die\s+)?([^,.;:\"„“]{2,90}?),", text[end : end + 120]
        )
        if after and is_role_word(after.group(1).split()[0]):
            return after.group(1).strip()
        return None

    def _find_mentions(self) -> None:
        for match in NAME_WORD.finditer(self.text):
            name = self.full_names.get(surname_key(match.group()))
            if name is None or self._overlaps_place(*match.span()):
                continue
            self.mentions.append(PersonMention(match.start(), match.end(), name))

    def organisations_in(self, start: int, end: int) -> list[str]:
        words = re.finditer(r"\b[A-ZÄÖÜ][\wäöüß-]*\b", self.text[start:end])
        return [w.group() for w in words if is_org_word(w.group())]

    def names_in(self, start: int, end: int) -> list[PersonMention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def last_before(
        self, offset: int, *, skip: tuple[tuple[int, int], ...] = ()
    ) -> PersonMention | None:
        """The last person mention that ends by ``offset``, outside the ``skip`` spans."""
        # Mentions come in text order and do not overlap, so their ends are sorted: search
        # backwards from the offset instead of scanning every mention of a long article.
        index = bisect.bisect_right(self._mention_ends, offset)
        for mention in reversed(self.mentions[:index]):
            if not any(s <= mention.start < e for s, e in skip):
                return mention
        return None

    def role_of(self, name: str) -> str | None:
        return self.roles.get(surname_key(name))


def speaker_phrase(text: str) -> tuple[str, str] | None:
    """Classify the subject phrase at the start of ``text``.

    Returns (kind, value): ("name", surname-or-full name), ("pronoun", word),
    ("description", head noun) or ("org", organisation name).
    """
    text = text.lstrip()
    org = _ORG_HEAD.match(text)
    if org and org.start() == 0:
        head = org["head"]
        if is_org_word(head) or head.lower().rstrip("s").endswith(("rat", "ministerium")):
            return "org", (head + (org["of"] or "")).strip()
    first = re.match(r"(\w[\wäöüß-]*)", text)
    if not first:
        return None
    word = first.group(1)
    if word.lower() in _PRONOUNS:
        return "pronoun", word
    if word.lower() in ("der", "die", "the"):
        desc = re.match(r"\w+\s+(?:[a-zäöü][\wäöüß-]*\s+){0,2}([A-ZÄÖÜa-z][\wäöüß-]*)", text)
        if desc and (is_role_word(desc.group(1)) or desc.group(1)[0].isupper()):
            return "description", desc.group(1)
        return None
    name = FULL_NAME.match(text) or NAME_WORD.match(text)
    if name and _is_name_word(name.group().split()[0]):
        return "name", name.group()
    return None

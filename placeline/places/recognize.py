"""Toponym recognition: case-sensitive gazetteer matching on word boundaries, decided with
evidence (word frequency against population, context words, persons, organisations).

Every mention's offsets index ``Document.text`` exactly; a direction prefix ("Ost-Aleppo",
"Nordsyrien") stays inside the mention and is kept as its ``qualifier``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from placeline.model import Mention
from placeline.places.gazetteer import Gazetteer, GazetteerEntry

MAX_NAME_TOKENS = 5
# An apostrophe joins the parts of a name ("Côte d'Ivoire", "O'Hare") but not the English
# possessive: "China's first case" names China.
TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’](?!s\b)[^\W\d_]+)*|\d+")

DIRECTION_PREFIXES = {
    "Nord": "north", "Süd": "south", "Ost": "east", "West": "west",
    "Nordost": "northeast", "Nordwest": "northwest", "Südost": "southeast",
    "Südwest": "southwest", "Zentral": "central", "Mittel": "central",
}
# Words after which a capitalised name is a person, not a place.
PERSON_TITLES = frozenset(
    ["Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Lord", "Lady", "Herr", "Frau", "Präsident", "Präsidentin", "President", "Minister", "Ministerin", "Außenminister", "Außenministerin", "Verteidigungsminister", "Innenminister", "Kanzler", "Kanzlerin", "Bundeskanzler", "Bundeskanzlerin", "Sprecher", "Sprecherin", "Diktator", "Staatschef", "Regierungschef", "Premier", "Premierminister", "Senator", "Sen", "Rep", "Gov", "Governor", "Gouverneur", "Mayor", "Bürgermeister", "Bürgermeisterin", "Coach", "Trainer", "Judge", "Richter", "Richterin", "King", "Queen", "König", "Königin", "Pope", "Papst", "Chef", "Chefin", "General", "Oberst", "Colonel", "Sergeant", "Officer", "Detective", "Secretary", "Sekretär", "Abgeordneter", "Abgeordnete", "Autor", "Autorin", "Schauspieler", "Sänger", "coach", "writer", "spokesman", "spokeswoman"]
)
# Common given names (German, English, Russian/Arabic transliterations seen in news). A name
# followed by a gazetteer word is a person ("John Kerry", "Jackson Browne").
FIRST_NAMES = frozenset(
    ["John", "James", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Edward", "Ronald", "Timothy", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Frank", "Gregory", "Raymond", "Alexander", "Patrick", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Henry", "Adam", "Douglas", "Nathan", "Peter", "Zachary", "Kyle", "Walter", "Harold", "Jeremy", "Ethan", "Carl", "Keith", "Roger", "Gerald", "Christian", "Terry", "Sean", "Arthur", "Austin", "Noah", "Lawrence", "Jesse", "Joe", "Bryan", "Billy", "Jordan", "Albert", "Dylan", "Bruce", "Willie", "Gabriel", "Alan", "Juan", "Logan", "Wayne", "Ralph", "Roy", "Eugene", "Randy", "Vincent", "Russell", "Louis", "Philip", "Bobby", "Johnny", "Bradley", "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Nancy", "Lisa", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Dorothy", "Carol", "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Kathleen", "Amy", "Shirley", "Angela", "Helen", "Anna", "Brenda", "Pamela", "Nicole", "Emma", "Samantha", "Katherine", "Christine", "Debra", "Rachel", "Catherine", "Carolyn", "Janet", "Ruth", "Maria", "Heather", "Diane", "Virginia", "Julie", "Joyce", "Victoria", "Olivia", "Kelly", "Christina", "Lauren", "Joan", "Evelyn", "Judith", "Megan", "Cheryl", "Andrea", "Hannah", "Martha", "Jacqueline", "Frances", "Gloria", "Ann", "Teresa", "Kathryn", "Sara", "Janice", "Jean", "Alice", "Madison", "Doris", "Abigail", "Julia", "Judy", "Grace", "Denise", "Amber", "Marilyn", "Beverly", "Danielle", "Theresa", "Sophia", "Marie", "Diana", "Brittany", "Natalie", "Isabella", "Charlotte", "Rose", "Alexis", "Kayla", "Hillary", "Barack", "Bill", "Hans", "Klaus", "Jürgen", "Wolfgang", "Dieter", "Uwe", "Horst", "Helmut", "Gerhard", "Werner", "Günter", "Karl", "Heinz", "Walter", "Frank", "Stefan", "Andreas", "Thomas", "Michael", "Markus", "Martin", "Sebastian", "Tobias", "Florian", "Lukas", "Jan", "Jens", "Olaf", "Angela", "Ursula", "Annalena", "Sahra", "Christian", "Friedrich", "Armin", "Robert", "Horst", "Norbert", "Sigmar", "Joachim", "Frank-Walter", "Heiko", "Cem", "Katarina", "Claudia", "Sabine", "Petra", "Monika", "Gabriele", "Renate", "Susanne", "Birgit", "Katrin", "Julia", "Anja", "Nadine", "Sergej", "Sergei", "Sergey", "Wladimir", "Vladimir", "Dmitrij", "Dmitri", "Dmitry", "Alexej", "Alexei", "Alexey", "Michail", "Mikhail", "Boris", "Igor", "Iwan", "Ivan", "Nikolai", "Juri", "Yuri", "Viktor", "Wiktor", "Jewgeni", "Yevgeny", "Maria", "Olga", "Tatjana", "Natalja", "Swetlana", "Baschar", "Bashar", "Mohammed", "Muhammad", "Mohamed", "Ahmed", "Ali", "Hassan", "Hussein", "Abdullah", "Omar", "Recep", "Tayyip", "Emmanuel", "Nicolas", "Francois", "François", "Theresa", "Boris", "Rishi", "Keir", "Justin", "Narendra", "Xi", "Shinzo", "Kim", "Benjamin", "Jair", "Mauricio", "Jan", "Egon"]
)
# More given names common in English-language news, short forms included ("Tim Whitley",
# "Nelson Mandela"); kept apart so the list above stays the shared German/English core.
FIRST_NAMES = FIRST_NAMES | frozenset(
    ["Tim", "Tom", "Jim", "Bob", "Mike", "Dave", "Steve", "Chris", "Matt", "Nick", "Ben",
     "Sam", "Dan", "Tony", "Rob", "Ron", "Ken", "Jeff", "Greg", "Phil", "Pete", "Doug", "Ted",
     "Fred", "Ed", "Jimmy", "Tommy", "Danny", "Ray", "Jay", "Dean", "Glenn", "Craig", "Todd",
     "Brent", "Brett", "Kurt", "Neil", "Ian", "Colin", "Graham", "Graeme", "Stuart", "Ross",
     "Alex", "Max", "Luke", "Marcus", "Victor", "Oscar", "Simon", "Oliver",
     "Harry", "Charlie", "Jake", "Josh", "Jon", "Nelson", "Kate", "Katie", "Jane", "Jenny",
     "Jill", "Liz", "Beth", "Sue", "Kathy", "Cathy", "Tammy", "Wendy", "Tina", "Dana", "Erin",
     "Kristen", "Kristina", "Sally", "Molly", "Holly", "Ellen", "Lynn", "Gail", "Joanne",
     "Paula", "Rita", "Irene", "Sylvia", "Lucy", "Chloe", "Zoe", "Leslie", "Tracy", "Whitney",
     "Kyra", "Carmen", "Rosa", "Ana", "Luis", "Carlos", "Jorge", "Miguel", "Pedro", "Manuel",
     "Antonio", "Francisco", "Javier", "Pablo", "Alejandro", "Ricardo", "Roberto", "Fernando",
     "Eduardo", "Rafael", "Sergio", "Mario", "Marco", "Giuseppe", "Pierre", "Jacques",
     "Michel", "Franck", "Ahmad", "Mahmoud", "Mustafa", "Khalid", "Ibrahim", "Yusuf", "Hamid",
     "Abdul", "Tariq", "Fatima", "Ravi", "Amit", "Rahul", "Sanjay", "Vijay", "Susilo"]
)
CALENDAR_WORDS = frozenset(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December", "Spring", "Summer", "Fall", "Autumn", "Winter",
     "Januar", "Februar", "März", "Juni", "Juli", "Oktober", "Dezember", "Frühling", "Herbst"]
)
# Abbreviations the gazetteer lacks, as the gazetteer name they stand for ("Washington, D.C.").
# Not after a number: "100 B.C." is a year.
NAME_ALIASES = {"D.C.": "District of Columbia", "B.C.": "British Columbia", "L.A.": "Los Angeles"}
# Words right after a place name that make the whole an organisation or a thing.
ORG_FOLLOWERS = frozenset(
    ["Elementary", "Drive", "Restaurant", "Legion", "Post", "Times", "Herald", "Journal", "Tribune", "Gazette", "Chronicle", "Examiner", "Globe", "Observer", "Telegraph", "Zeitung", "Rundschau", "Allgemeine", "Kurier", "Anzeiger", "University", "Universität", "College", "Institute", "Institut", "FC", "Redskins", "Giants", "Jets", "Yankees", "Mets", "Lakers", "Bulls", "Rangers", "Cowboys", "Senators", "Capitals", "Nationals", "Stars", "Kings", "Bank", "Group", "Airlines", "Motors", "Energy", "Press", "Review", "Daily"]
)
# Street words right after a place name: "Dublin Road", "Washington St." name a street the
# gold sets do not count (dev: LGL 3 hits against 54 false finds, TR-News 0/9); "Avenue" is
# left out, GeoWebNews counts those (5/0).
STREET_FOLLOWERS = frozenset(["Road", "Rd", "Street", "St", "Ave", "Boulevard", "Blvd", "Lane"])
ORG_PRECEDERS = frozenset(["University", "Universität", "Bank", "FC", "Club", "Bistum", "Agence",
                           "Radio", "Real"])
# Lower-case particles of family names; English only: German "von" is "from".
SURNAME_PARTICLES = frozenset(["de", "van", "von", "der", "den", "du", "da", "di", "del", "della",
                               "ter", "ten", "bin", "ibn"])
PARTY_INITIALS = frozenset(["D", "R", "I"])  # "Rep. Earl Pomeroy, D-N.D.", "R-London"
STORM_WORDS = frozenset(["Hurricane", "Typhoon", "Cyclone", "Hurrikan", "Taifun", "Zyklon"])
# Words right after a place name that make it part of a disease's name ("West Nile virus",
# "Reston ebolavirus", "Marburg haemorrhagic fever"): the name is no place in that text.
DISEASE_FOLLOWERS = frozenset(
    ["virus", "Virus", "viruses", "ebolavirus", "fever", "Fever", "disease", "Disease", "flu",
     "hemorrhagic", "haemorrhagic", "encephalitis", "Viren", "Fieber"]
)
# Verbs of speech right after a one-word town name make it a person ("Whitley added"):
# countries, divisions and capitals stay places there (metonymy: "Moscow said").
SPEECH_VERBS = frozenset(["said", "says", "told", "added", "stated", "explained", "noted"])
LOCATION_CUES = frozenset(
    ["in", "im", "nach", "aus", "bei", "von", "vom", "nahe", "near", "from", "to", "into", "at", "across", "outside", "inside", "throughout", "Stadt", "city", "town", "village", "county", "state", "Region", "region", "Provinz", "province", "Hauptstadt", "capital", "nördlich", "südlich", "östlich", "westlich", "north", "south", "east", "west", "of"]
)
ALTERNATE_NAME_DISCOUNT = 10
ALTERNATE_ONLY_PENALTY = 1.0
GERMAN_DETERMINERS = frozenset(
    ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
     "im", "am", "vom", "zum", "zur", "ins", "beim", "kein", "keine", "dieser", "diese",
     "dieses", "diesem", "diesen", "jeder", "jede", "jedes", "unser", "unsere", "sein", "seine",
     "ihr", "ihre"]
)
SENTENCE_END = re.compile(r"[.!?:\"„“»«]\s*$|^\s*$")


@dataclass(frozen=True)
class RecognizedMention:
    mention: Mention
    name: str  # the gazetteer key the mention matched (genitive and prefix removed)
    entries: tuple[GazetteerEntry, ...]
    evidence: float  # > 0 accepted; the margin goes into the confidence
    rule: str


def _strip_inflection(word: str, gazetteer: Gazetteer) -> str | None:
    """The gazetteer key of an inflected form: German genitive -s/-es ("Aleppos",
    "Syriens"), Russian case endings ("Гамбурге")."""
    for suffix in ("s", "es", "ns"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and base in gazetteer:
            if gazetteer.zipf(word, "de") > gazetteer.zipf(base, "de") + 0.5:
                # A word in its own right, more common than the name it would inflect.
                return None
            return base
    if word.endswith("en") and word[:-1] in gazetteer and any(
            e.kind in ("country", "region", "continent") for e in gazetteer.lookup(word[:-1])):
        # German dative plural: "in den Niederlanden" is die Niederlande. Only for countries
        # and regions, whose plural names take it; a town's "-en" is part of its name.
        return word[:-1]
    if "\u0400" <= word[-1] <= "\u04ff":
        for suffix in ("е", "а", "у", "ом", "и"):
            if word.endswith(suffix) and word[: -len(suffix)] in gazetteer:
                return word[: -len(suffix)]
    return None


def _split_direction(word: str, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """"Nordsyrien" -> ("north", "Syrien"); the remainder must be a known name."""
    for prefix, qualifier in DIRECTION_PREFIXES.items():
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 3 and rest[0].islower():
            candidate = rest[0].upper() + rest[1:]
            if candidate in gazetteer:
                return qualifier, candidate
            stripped = _strip_inflection(candidate, gazetteer)
            if stripped:
                return qualifier, stripped
    return None


def gazetteer_key(surface: str, gazetteer: Gazetteer) -> tuple[str, str | None] | None:
    """The gazetteer name and direction qualifier of a span another recognizer found:
    the name itself, an inflected form ("Syriens") or a prefixed one ("Nordsyrien",
    "Ost-Aleppo"). None when the gazetteer does not know it."""
    surface = " ".join(surface.lstrip("#").split())
    if surface in gazetteer:
        return surface, None
    if len(surface) >= 4 and surface.isupper() and surface.isalpha():
        # A dateline in capitals the tagger found ("BOCHUM"): the gazetteer has it in title case.
        titled = surface[:1] + surface[1:].lower()
        if titled in gazetteer:
            return titled, None
    stripped = _strip_inflection(surface, gazetteer) if surface else None
    if stripped:
        return stripped, None
    head, dash, rest = surface.partition("-")
    if dash and head in DIRECTION_PREFIXES:
        inner = gazetteer_key(rest, gazetteer)
        if inner is not None and inner[1] is None:
            return inner[0], DIRECTION_PREFIXES[head]
    split = _split_direction(surface, gazetteer) if " " not in surface else None
    return (split[1], split[0]) if split else None


def recognize_toponyms(text: str, *, gazetteer: Gazetteer, lang: str = "de") -> list[RecognizedMention]:
    tokens = [(m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
    words = [text[s:e] for s, e in tokens]
    lowercase_words = {w for w in words if w[:1].islower()}
    persons = _person_names(words, tokens, text, gazetteer)
    diseases = _disease_names(text)
    found: list[RecognizedMention] = []
    i = 0
    while i < len(tokens):
        hit = _match_at(i, tokens, words, text, gazetteer, lang)
        if hit is None:
            i += 1
            continue
        j, start, end, name, qualifier, rule = hit
        entries = gazetteer.lookup(name)
        # A capitalised word right before that the rules rejected as a place ("Tim" in
        # "Tim Whitley") is a given name like any other, not the place that would excuse it.
        rejected_before = bool(found) and found[-1].evidence <= 0 and i > 0 and (
            found[-1].mention.end == tokens[i - 1][1])
        evidence = _evidence(i, j, tokens, words, text, name, entries, gazetteer, lang,
                             lowercase_words, persons, rejected_before)
        if rule == "dateline":
            evidence += DATELINE_BONUS
        if diseases and _names_disease(i, j, tokens, words, text, diseases):
            evidence = min(evidence, -3.0)
        surface = text[start:end]
        found.append(
            RecognizedMention(
                Mention(start=start, end=end, text=surface, qualifier=qualifier),
                name, entries, evidence, rule,
            )
        )
        i = j
    return _add_defined_abbreviations(found, text, gazetteer)


# "New South Wales (NSW)", "the Democratic Republic of the Congo (DRC)", "U.A.E."
DEFINED_ABBREVIATION_RE = re.compile(r"\s*\(((?:[A-Z]\.?){2,6})\)")


def _initials(surface: str) -> set[str]:
    """The ways an abbreviation spells a name: every word's initial, or the capitalised
    words' only ("Democratic Republic of the Congo" -> DROTC, DRC)."""
    parts = re.split(r"[\s-]+", surface.lstrip("#"))
    return {"".join(p[0] for p in parts if p).upper(),
            "".join(p[0] for p in parts if p[:1].isupper())}


def _add_defined_abbreviations(found: list[RecognizedMention], text: str,
                               gazetteer: Gazetteer) -> list[RecognizedMention]:
    """An abbreviation the article defines in parentheses right after an accepted place name
    (its initials, or the country's code) names that place from there on: "New South Wales
    (NSW) ... in NSW". It replaces whatever the gazetteer makes of the letters."""
    aliases: list[tuple[int, str, RecognizedMention]] = []
    for r in found:
        if r.evidence <= 0:
            continue
        match = DEFINED_ABBREVIATION_RE.match(text, r.mention.end)
        if match is None:
            continue
        abbreviation = match.group(1)
        letters = abbreviation.replace(".", "")
        codes = {e.country for e in r.entries if e.kind == "country"}
        if letters in _initials(r.mention.text) or letters in codes:
            aliases.append((match.start(1), abbreviation, r))
    if not aliases:
        return found
    added: list[RecognizedMention] = []
    for defined_at, abbreviation, place in aliases:
        pattern = re.compile(r"(?<![\w.])" + re.escape(abbreviation) + r"(?![\w])")
        for match in pattern.finditer(text, defined_at):
            start, end = match.span()
            added.append(RecognizedMention(
                Mention(start=start, end=end, text=abbreviation),
                place.name, place.entries, place.evidence, "abbreviation",
            ))
    kept = [r for r in found
            if not any(a.mention.start < r.mention.end and r.mention.start < a.mention.end
                       for a in added)]
    return sorted(kept + added, key=lambda r: r.mention.start)


DISEASE_NAME_RE = re.compile(
    r"((?:[A-Z][\w'’-]*[ \t])*[A-Z][\w'’-]*)[ \t]*\[?(?:" + "|".join(sorted(DISEASE_FOLLOWERS))
    + r")\b"
)


def _disease_names(text: str) -> set[str]:
    """Capitalised phrases the article uses as a disease's name ("West Nile virus"): one
    sense per discourse, so a later "West Nile cases" is the disease too."""
    return {match.group(1) for match in DISEASE_NAME_RE.finditer(text)}


def _names_disease(i, j, tokens, words, text, diseases: set[str]) -> bool:
    """Whether the name at tokens i..j is (the end of) a disease name of the article; not
    after a cue like "to" or "in": "imported to Reston, Virginia" stays the town."""
    phrase = text[tokens[i][0]:tokens[j - 1][1]]
    start = i
    if phrase not in diseases:
        if i == 0 or text[tokens[i - 1][1]:tokens[i][0]] != " ":
            return False
        phrase = f"{words[i - 1]} {phrase}"
        start = i - 1
        if phrase not in diseases:
            return False
    cue = words[start - 1] if start > 0 else ""
    return cue == "of" or cue not in LOCATION_CUES


def _match_at(i, tokens, words, text, gazetteer, lang="de"):
    """Longest gazetteer name starting at token i: (next token, start, end, key, qualifier,
    rule) or None. The German genitive -s is stripped in German only: in English a plural
    demonym ("Mexicans", "Canadians") names people, and the gold sets count it only rarely
    (dev: 20 hits against 57 false finds across the four English sets)."""
    if not words[i][:1].isupper():
        return None
    start = tokens[i][0]
    hashtag = start > 0 and text[start - 1] == "#"
    for j in range(min(len(tokens), i + MAX_NAME_TOKENS), i, -1):
        end = tokens[j - 1][1]
        raw = text[start:end]
        if j - i > 1 and ("\n" in raw or not _joinable(raw)):
            continue
        key = " ".join(raw.split())
        if end < len(text) and text[end] == "." and key + "." in gazetteer:
            # Abbreviations with a final dot: "U.S.", "W.Va.", "Ky."
            return j, start - hashtag, end + 1, key + ".", None, "abbreviation"
        if (end < len(text) and text[end] == "." and ". " in key
                and key.replace(". ", ".") + "." in gazetteer):
            # The same written with spaces: "W. Va." is West Virginia, not "Va."
            return j, start - hashtag, end + 1, key.replace(". ", ".") + ".", None, "abbreviation"
        if (end < len(text) and text[end] == "." and NAME_ALIASES.get(key + ".") in gazetteer
                and not (i > 0 and words[i - 1].isdigit())):
            return j, start - hashtag, end + 1, NAME_ALIASES[key + "."], None, "abbreviation"
        if key not in gazetteer and "-" in key:
            # "Port-Au-Prince": the particles inside a French name in title case.
            key = HYPHEN_PARTICLE_RE.sub(lambda m: m.group(0).lower(), key)
        if key not in gazetteer:
            key = (_strip_inflection(key, gazetteer) if lang == "de" else None) or ""
            if not key:
                continue
        return j, start - hashtag, end, key, None, "hashtag" if hashtag else "name"
    dateline = _dateline_at(i, tokens, words, text, gazetteer)
    if dateline is None and lang == "de":
        dateline = _german_dateline_at(i, tokens, words, text, gazetteer)
    if dateline is not None:
        return dateline
    word = words[i]
    if word in DIRECTION_PREFIXES and i + 1 < len(tokens) and text[tokens[i][1]:tokens[i + 1][0]] == "-":
        inner = _match_at(i + 1, tokens, words, text, gazetteer, lang)
        if inner is not None and inner[1] == tokens[i + 1][0]:
            return inner[0], start, inner[2], inner[3], DIRECTION_PREFIXES[word], "direction"
    split = _split_direction(word, gazetteer)
    if split is not None:
        return i + 1, start, tokens[i][1], split[1], split[0], "direction"
    return None


HYPHEN_PARTICLE_RE = re.compile(r"(?<=-)(?:Au|Aux|De|Des|Du|En|La|Le|Les|Lès|Sur|Sous)(?=-)")
DATELINE_BONUS = 2.0  # a dateline names where the story was filed
# What follows the place of a dateline: "CHARLESTON, W.Va. --", "WASHINGTON—", "BANTAM —",
# "COLUMBUS, Ohio (AP)".
DATELINE_END_RE = re.compile(r"[ \t]*(?:,[ \t]*[A-Z]|—|–|--|-[ \t]|\()")


def _dateline_at(i, tokens, words, text, gazetteer):
    """A place name in capitals opening a sentence or line as a dateline: the gazetteer
    knows it in title case ("EDMONTON, Ky." is Edmonton)."""
    if not (words[i].isupper() and len(words[i]) >= 3):
        return None
    start = tokens[i][0]
    if not SENTENCE_END.search(text[max(0, start - 3):start]):
        return None
    for j in range(min(len(tokens), i + MAX_NAME_TOKENS), i, -1):
        if not all(w.isupper() for w in words[i:j]):
            continue
        end = tokens[j - 1][1]
        raw = text[start:end]
        if "\n" in raw or not _joinable(raw) or not DATELINE_END_RE.match(text, end):
            continue
        key = " ".join(w[:1] + w[1:].lower() for w in raw.split())
        if key in gazetteer:
            return j, start, end, key, None, "dateline"
    return None


# After a German dateline place in capitals at the start of a line, the story's first word:
# "BOCHUM Dass er ...", "KASSEL Die Stadt ...".
GERMAN_DATELINE_NEXT_RE = re.compile(r" [A-ZÄÖÜ][a-zäöüß]")


def _german_dateline_at(i, tokens, words, text, gazetteer):
    """A one-word German dateline without a dash or an agency after it: a town or state in
    capitals (four letters or more, so no party or agency acronym) that opens a line and is
    followed by a capitalised word."""
    word = words[i]
    start, end = tokens[i]
    if not (word.isupper() and len(word) >= 4 and word.isalpha()):
        return None
    if start > 0 and text[start - 1] != "\n":
        return None
    key = word[:1] + word[1:].lower()
    if not GERMAN_DATELINE_NEXT_RE.match(text, end) or key not in gazetteer:
        return None
    if not any(e.kind in ("city", "admin") for e in gazetteer.lookup(key)):
        return None
    return i + 1, start, end, key, None, "dateline"


def _joinable(raw: str) -> bool:
    return all(ch.isalnum() or ch in " -.'’" for ch in raw)


SURNAME_SAFE_PRECEDERS = frozenset(
    ["Lake", "Mount", "Mt", "Fort", "Ft", "Port", "Saint", "St", "Sankt", "San", "Santa", "New", "North", "South", "East", "West", "Upper", "Lower", "Greater", "Central", "Bad", "Little", "Big", "Old", "Cape", "Kap", "Golf", "Gulf", "Metro", "Western", "Eastern", "Northern", "Southern", "Downtown", "Historic", "Los", "Las"]
)


def _person_names(words, tokens, text, gazetteer) -> set[str]:
    """Surnames introduced by a given name or a title anywhere in the article: one sense per
    discourse, so "Kerry sagte" stays John Kerry."""
    persons: set[str] = set()
    for k in range(len(words) - 1):
        if text[tokens[k][1]:tokens[k + 1][0]] not in (" ", ". "):
            continue
        first, nxt = words[k], words[k + 1]
        if not nxt[:1].isupper():
            continue
        if (first in FIRST_NAMES or first in PERSON_TITLES) and nxt not in FIRST_NAMES:
            # "Mr Washington" yes; "President Obama" yes; a following country stays a country.
            if any(e.kind in ("country", "continent") for e in gazetteer.lookup(nxt)):
                continue
            persons.add(nxt)
    persons |= _speakers(words, tokens, text, gazetteer)
    return persons


SPEAKER_PRECEDERS = frozenset(["said", "says", "told", "according"])
STRONG_KINDS = frozenset(["country", "continent", "admin", "region", "water", "landmark"])


def _speakers(words, tokens, text, gazetteer) -> set[str]:
    """One-word town names the article quotes as a person: "Whitley said", "said Lennox.",
    "according to Cavanagh,". Countries, divisions and capitals stay places ("Moscow said",
    metonymy), and so does a name another word follows ("said Monroe Mayor Routson")."""
    speakers: set[str] = set()
    for k, word in enumerate(words):
        if not word[:1].isupper() or not 0 < k < len(words) - 1:
            continue
        before = text[tokens[k - 1][1]:tokens[k][0]]
        after = text[tokens[k][1]:tokens[k + 1][0]]
        prev, nxt = words[k - 1], words[k + 1]
        # "X said" only where X opens a clause (', Whitley said'): "the city of Sevierville
        # said", "Gainesville says" are the town speaking through its officials.
        opens_clause = bool(before.strip()) and before.strip()[-1:] in ",.;:\"“”'’"
        according = prev == "to" and k > 1 and words[k - 2] in ("according", "According")
        quoted = (nxt in SPEECH_VERBS and after == " " and opens_clause) or (
            (prev in SPEAKER_PRECEDERS or according)
            and before == " " and after.strip()[:1] in (".", ",", ";")
        )
        if not quoted:
            continue
        entries = gazetteer.lookup(word)
        # "according to Yap," cites a person even where the name is a division's: only a
        # country stays a place there (dev: no set counts a name in that slot).
        strong = ("country", "continent") if according else STRONG_KINDS
        if entries and not any(e.kind in strong or (e.capital and not according)
                               for e in entries):
            speakers.add(word)
    return speakers


ACCENT_FREE_POPULATION = 1_000_000


def _same_name(entry: GazetteerEntry, name: str) -> bool:
    """The entry's own name, for a big city also written without its accents ("Montreal"
    for Montréal, "Bogota"): English news drops them, which makes no alternate name of it.
    Smaller places keep the discount: "Garcia", "Perez", "Duma" are mostly people and a
    parliament (dev: at any size 30 more false finds on LGL/GWN/GeoVirus; from a million
    on, 8 more hits on TR-News and no other change)."""
    return entry.name == name or (
        entry.population >= ACCENT_FREE_POPULATION and name.isascii()
        and not entry.name.isascii() and _without_accents(entry.name) == name)


def _without_accents(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(ch))


def _surname_like(word, gazetteer, lowercase_words, persons, rare=4.5) -> bool:
    """A capitalised word that reads as a family name: already a person here, or neither a
    place nor a word the article uses in lower case, and rare as a word ("Mandela", not
    "Police" or "County")."""
    if not word[:1].isupper() or word.isupper():
        return False
    if word.lower() in lowercase_words or _english_zipf(word.lower()) >= rare:
        return False
    return word in persons or word not in gazetteer


def _weak_town_word(word, gazetteer, lowercase_words) -> bool:
    """A capitalised one-word name of towns only (no division, country or capital) that is
    rare as an English word: "Molina", not "Texas", "Paris" or "Mobile"."""
    if not word[:1].isupper() or word.isupper() or word.lower() in lowercase_words:
        return False
    entries = gazetteer.lookup(word)
    return bool(entries) and _english_zipf(word.lower()) < 3.5 and not any(
        e.kind in STRONG_KINDS or e.capital for e in entries)


@lru_cache(maxsize=1)
def _german_only_country_names() -> frozenset[str]:
    """German country names (CLDR) that are none of the country's English names ("Island"
    for Iceland, "Luxemburg"): in an English text such a word is English or a person's name."""
    try:
        import pycountry
        from babel import Locale
    except ImportError:
        return frozenset()
    german, english = Locale("de").territories, Locale("en").territories
    names = set()
    for iso, name in german.items():
        record = pycountry.countries.get(alpha_2=iso) if len(iso) == 2 else None
        english_names = {english.get(iso, "")} | {
            getattr(record, attr, "") for attr in ("name", "common_name", "official_name")}
        if name not in english_names:
            names.add(name)
    return frozenset(names)


@lru_cache(maxsize=50_000)
def _english_zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _evidence(i, j, tokens, words, text, name, entries, gazetteer, lang, lowercase_words,
              persons, rejected_before=False) -> float:
    """Positive means "a place". Combines kind, population against word frequency, context."""
    surface_words = words[i:j]
    last = surface_words[-1]
    if name in gazetteer.english_only and lang == "de":
        return -5.0
    if lang != "de" and name in _german_only_country_names():
        return -3.0  # "Fire Island", "the island": English words, not Iceland ("Island")
    if len(surface_words) == 1 and (surface_words[0] in persons or name in persons):
        return -5.0
    prev = words[i - 1] if i > 0 else ""
    gap_before = text[tokens[i - 1][1]:tokens[i][0]] if i > 0 else ""
    nxt = words[j] if j < len(words) else ""
    gap_after = text[tokens[j - 1][1]:tokens[j][0]] if j < len(words) else ""
    if prev in FIRST_NAMES and gap_before == " " and not any(
        e.kind in ("country", "continent") for e in entries
    ):
        return -4.0
    if prev in PERSON_TITLES and gap_before == " ":
        return -3.0
    if (lang != "de" and name in FIRST_NAMES and len(surface_words) == 1 and gap_after == " "
            and _surname_like(nxt, gazetteer, lowercase_words, persons)
            and not any(e.kind in ("country", "continent") for e in entries)):
        return -3.0  # "Nelson Mandela", "Victoria Beckham": a given name before a surname
    if (nxt and nxt[0].isdigit() and gap_after == " " and len(surface_words) == 1
            and name in CALENDAR_WORDS):
        return -3.0  # "October 6", "Spring 2002": a date, not the towns of that name
    if gap_before == "-" and text[tokens[i][0] - 1] == "-" and not (
            prev in PARTY_INITIALS and i > 1 and text[tokens[i - 2][1]:tokens[i - 1][0]] in (" ", ", ")):
        # ("Sen. Ray Miller, D-Columbus" is exempt: a legislator's party and home town.)
        # Second part of a hyphen compound ("Russian-US contacts", "Uno-Task-Force"):
        # the compound names something else; whole names like "Sachsen-Anhalt" matched above.
        return -2.0
    if nxt in ORG_FOLLOWERS and gap_after == " ":
        return -3.0
    if nxt in DISEASE_FOLLOWERS and gap_after == " ":
        return -3.0
    if nxt in STREET_FOLLOWERS and gap_after == " ":
        return -3.0
    if (lang != "de" and len(surface_words) == 1 and gap_after == " "
            and not any(e.kind in STRONG_KINDS or e.capital for e in entries)
            and (_surname_like(nxt, gazetteer, lowercase_words, set(), rare=3.0)
                 or _weak_town_word(nxt, gazetteer, lowercase_words))):
        # "Lander Dircken", "Hurricane Katrina": a town name opening a name; so does one
        # before another one-word town name ("Socorro Molina"): two towns side by side
        # without a comma are a given name and a family name.
        return -2.5
    end = tokens[j - 1][1]
    if text[end:end + 1] == "$" or (tokens[i][0] > 0 and text[tokens[i][0] - 1] == "$"):
        return -3.0  # a currency: "US$58", "$US 1.5 billion"
    if prev in ORG_PRECEDERS and gap_before in (" ", " of "):
        return -3.0
    if prev == "of" and i > 1 and words[i - 2] in ("Chamber", "Chambers", "Voice"):
        # "Chamber of Commerce", "Voice of America": an organisation, not the place.
        return -3.0
    if gap_before.endswith("/") and gap_after == "/" and nxt[:1].isdigit():
        return -3.0  # a flu strain, "A/California/7/2009": where it was first isolated
    if (lang != "de" and prev in SURNAME_PARTICLES and gap_before == " "
            and not any(e.kind in STRONG_KINDS or e.capital for e in entries)):
        return -2.5  # "Mike de Kock", "Roger van Boxtel": a family name, not the town
    if (prev in STORM_WORDS and gap_before == " ") or (
            name in STORM_WORDS and gap_after == " " and nxt[:1].isupper()):
        return -3.0  # "Hurricane Katrina", "Typhoon Haiyan": a storm and its given name
    if (nxt.lower() == "news" and gap_after == " " and j + 1 < len(words)
            and words[j + 1].lower() == "agency" and name not in gazetteer.english_only):
        return -3.0  # "Xinhua News Agency", "Anadolu news agency" ("Abkhaz news agency" stays)
    if lang == "de" and gap_after == "-" and text[tokens[j - 1][1]] == "-":
        # First part of a German compound ("US-Präsident", "Aleppo-Abkommen"): a modifier.
        return -1.0
    at_sentence_start = i == 0 or bool(
        SENTENCE_END.search(text[max(0, tokens[i][0] - 3):tokens[i][0]])
    )
    kinds = {e.kind for e in entries}
    strong = kinds & STRONG_KINDS
    # "Whitley added" is a person; "a nurse in Austin told" is someone in the town.
    if (nxt in SPEECH_VERBS and gap_after == " " and len(surface_words) == 1 and not strong
            and not any(e.capital for e in entries) and prev not in LOCATION_CUES):
        return -2.5
    # A name that is only an alternate name of its places ("Dabei" for Dubai, "Rest" for
    # Rasht) is rarely how news names them: its population speaks for it a tenth as much.
    population = max(
        (e.population if _same_name(e, name) else e.population // ALTERNATE_NAME_DISCOUNT
         for e in entries),
        default=0,
    )
    zipf = gazetteer.zipf(name, lang) if len(surface_words) == 1 else 0.0
    if strong:
        score = 2.0 - max(0.0, zipf - 5.5)
    else:
        # A place name of population P is, as a word, about log10(P) - 1 frequent (Zipf);
        # any surplus is the word's other, common sense ("Essen", "Nice", "Treffen").
        expected = math.log10(population + 1) - 1.0
        surplus = zipf - expected if zipf else -1.0
        score = 0.6 - surplus
        if at_sentence_start and (lang != "de" or surplus > 0.3):
            # German capitalises every noun, so only a word already common is suspicious there.
            score -= 0.8
        if len(surface_words) > 1:
            score += 0.8
        if lang != "de" and not any(_same_name(e, name) for e in entries):
            score -= ALTERNATE_ONLY_PENALTY
        if name.isupper() and len(name) <= 4:
            score -= 1.0
        if name in FIRST_NAMES:
            score -= 1.5
        if lang == "de" and prev.lower() in GERMAN_DETERMINERS and gap_before == " ":
            # "die Burg", "im Norden", "der Basis": German towns go without an article.
            score -= 1.5
        if (lang != "de" and prev[:1].isupper() and gap_before == " "
                and prev not in SURNAME_SAFE_PRECEDERS
                and (prev not in gazetteer or rejected_before) and not at_sentence_start):
            score -= 1.5  # "Jim Snyder", "Kristina Slater": a surname after a given name
    if prev in LOCATION_CUES or prev.lower() in LOCATION_CUES:
        score += 0.7
    if lang != "de" and at_sentence_start and last.lower() in lowercase_words:
        score -= 1.0
    if last.lower() in lowercase_words and lang != "de":
        score -= 0.5
    if lang == "de" and last.lower() in lowercase_words and not strong:
        score -= 0.5
    return score

"""A small learned recognizer: a CRF (python-crfsuite) that tags LOC, PER and ORG spans.

It adds what gazetteer rules miss (streets, regions, small places, rivers) and tells the
places stage when a gazetteer word is a person or an organisation ("John Kerry"). One model
per language lives in ``data/models/`` next to a list of gazetteer names the features look
up; ``scripts/train_tagger.py`` rebuilds them, and ``data/models/README.md`` says from what
data, under which licences, and what they bought.

Offsets are Python ``str`` indices into the text given to ``tag``: the tokenizer and the
sentence splitter below never copy or normalise the text.
"""

from __future__ import annotations

import gzip
import re
import threading
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from placeline.errors import PlacelineError

MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "models"
NAMES_FILE = "toponym-names.txt.gz"
LANGUAGES = ("de", "en")
LABELS = ("LOC", "PER", "ORG")
MAX_NAME_TOKENS = 4
MAX_SENTENCE_TOKENS = 150
WORD_CACHE_SIZE = 200_000

# A dotted abbreviation ("U.S.", "z.B."), a word with inner hyphens ("Ost-Aleppo"), an
# English clitic ("'s"), or any other single non-space character.
TOKEN_RE = re.compile(
    r"[^\W_](?:\.[^\W\d_])+\.?"
    r"|[^\W_]+(?:-[^\W_]+)*"
    r"|['’][^\W\d_]{1,2}\b"
    r"|\S"
)
SENTENCE_FINAL = frozenset(".!?…")
# Tokens before a full stop that do not end a sentence ("Dr. Kerry", "St. Louis").
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sen rep gov gen lt col sgt capt jr sr mt ft no nr vol inc co corp "
    "ltd bzw ca dt evtl ggf hl inkl str usw vgl jan feb mar apr jun jul aug sep sept oct okt "
    "nov dec dez ave blvd rd calif fla ill mass mich minn tenn wash wis".split()
)
DIRECTION_PREFIXES = (
    "nordost", "nordwest", "südost", "südwest", "nord", "süd", "ost", "west", "zentral",
    "mittel", "north", "south", "east", "central",
)


class TaggerModelMissing(PlacelineError, FileNotFoundError):
    """The trained model file is not where the package expects it."""


@dataclass(frozen=True)
class TaggedSpan:
    """A recognised name: ``text[start:end]``, its label and the CRF's confidence in it.

    ``prob`` is the smallest per-token marginal probability of the span's labels, a lower
    bound that is cheap and orders spans well enough to threshold.
    """

    start: int
    end: int
    label: str  # "LOC", "PER" or "ORG"
    prob: float


class Token(NamedTuple):
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


def split_sentences(text: str, tokens: list[Token] | None = None) -> list[list[Token]]:
    """Sentences as token lists: a break after ".", "!" or "?" before a capitalised word or
    a quote (not after a known abbreviation or a single letter), and at every line break."""
    tokens = tokenize(text) if tokens is None else tokens
    sentences: list[list[Token]] = []
    current: list[Token] = []
    for i, token in enumerate(tokens):
        if current and "\n" in text[current[-1].end : token.start]:
            sentences.append(current)
            current = []
        current.append(token)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is None:
            break
        if len(current) >= MAX_SENTENCE_TOKENS:
            sentences.append(current)
            current = []
        elif token.text in SENTENCE_FINAL and _starts_sentence(nxt.text):
            prev = current[-2].text if len(current) > 1 else ""
            if token.text != "." or not _is_abbreviation(prev):
                sentences.append(current)
                current = []
    if current:
        sentences.append(current)
    return sentences


def _starts_sentence(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit() or word[0] in "\"'„“”«»‚‘’("


def _is_abbreviation(word: str) -> bool:
    return (len(word) == 1 and word.isalpha()) or word.lower() in ABBREVIATIONS


class NameIndex:
    """Gazetteer names as token strings ("Frankfurt am Main"), for the "starts a gazetteer
    name" features. Names are tokenized exactly as text is, so matching is a set lookup.

    ``tiers`` says what kind of place a name is: "C" country or continent, "A" state,
    province, region or water, "K" county, "L" city of 100,000 or more, "M" city of 15,000
    or more, "S" smaller place. ``extra`` holds, with their tiers, the names that only the
    places stage's gazetteer knows (short forms such as "Elfenbeinküste", counties, the
    small places of the German-speaking countries). They are kept apart: they give their own
    features and leave those of the main names as they were (the English model was trained
    without them), and many small places are also common words ("Berg", "Mark").
    """

    def __init__(self, names: set[str] | dict[str, str],
                 extra: dict[str, str] | set[str] | None = None) -> None:
        self.tiers = dict(names) if isinstance(names, dict) else dict.fromkeys(names, "")
        self.names = frozenset(self.tiers)
        extra = dict.fromkeys(extra, "S") if isinstance(extra, set) else dict(extra or {})
        self.extra = {name: tier for name, tier in extra.items() if name not in self.names}
        self.extra_names = frozenset(self.extra)
        # (word, lang) -> features of the word alone; filled by ``_word_features``
        self.word_cache: dict[tuple[str, str], tuple[tuple[str, ...], str | None]] = {}

    @classmethod
    def read(cls, path: Path) -> NameIndex:
        names: dict[str, str] = {}
        extra: dict[str, str] = {}
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                name, _, tier = line.rstrip("\n").partition("\t")
                if not name.strip():
                    continue
                if tier.startswith("+"):
                    extra[name] = tier[1:]
                else:
                    names[name] = tier
        return cls(names, extra)

    def write(self, path: Path) -> None:
        lines = [f"{name}\t{tier}" if tier else name for name, tier in self.tiers.items()]
        lines += [f"{name}\t+{tier}" for name, tier in self.extra.items()]
        with gzip.GzipFile(path, "wb", mtime=0) as raw:
            raw.write("".join(f"{line}\n" for line in sorted(lines)).encode("utf-8"))

    @staticmethod
    def normalise(name: str) -> str:
        return " ".join(token.text for token in tokenize(name))

    def longest_match(self, words: list[str], i: int, names: frozenset[str] | None = None) -> int:
        """The number of tokens of the longest name starting at ``i`` (0 when none)."""
        names = self.names if names is None else names
        for length in range(min(MAX_NAME_TOKENS, len(words) - i), 0, -1):
            if " ".join(words[i : i + length]) in names:
                return length
        return 0

    def tier(self, name: str) -> str:
        return self.tiers.get(name, "")

    def __contains__(self, name: object) -> bool:
        return name in self.names


@lru_cache(maxsize=200_000)
def _frequency_bucket(word: str, lang: str) -> str:
    from wordfreq import zipf_frequency

    return str(int(zipf_frequency(word, lang)))


def _shape(word: str) -> str:
    shape = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if not shape or shape[-1] != kind:
            shape.append(kind)
    return "".join(shape)


def _direction_split(lower: str, word: str, names: NameIndex) -> str | None:
    for prefix in DIRECTION_PREFIXES:
        if lower.startswith(prefix) and len(word) > len(prefix) + 2:
            rest = word[len(prefix) :].lstrip("-")
            return "dirgaz" if rest[:1].upper() + rest[1:] in names else "dir"
    return None


def _word_features(word: str, lang: str, names: NameIndex) -> tuple[tuple[str, ...], str | None]:
    """What a token contributes on its own, whatever its position: its features and, for a
    capitalised word, the inflected-gazetteer feature used when no name match covers it.
    Cached per name index: news repeats its words, and building these strings was most of the
    tagging time."""
    key = (word, lang)
    cached = names.word_cache.get(key)
    if cached is not None:
        return cached
    lower = word.lower()
    f = [f"lang={lang}", f"w={lower}", f"sh={_shape(word)}", f"zf={_frequency_bucket(lower, lang)}"]
    for k in range(1, 5):
        if len(lower) > k:
            f.append(f"p{k}={lower[:k]}")
            f.append(f"s{k}={lower[-k:]}")
    capitalised = word[:1].isupper()
    if capitalised:
        f.append("cap")
        if word.isupper() and len(word) > 1:
            f.append("allcap")
    if any(c.isdigit() for c in word):
        f.append("digit")
    if "-" in word:
        parts = word.split("-")
        f.append("hyph")
        if parts[0] in names:
            f.append("hyph0gaz")
        if parts[-1] in names:
            f.append("hyphLgaz")
    inflected = None
    if capitalised:
        direction = _direction_split(lower, word, names)
        if direction:
            f.append(direction)
        for suffix in ("s", "es", "ns", "n"):
            if word.endswith(suffix) and word[: -len(suffix)] in names:
                inflected = f"gazinfl={suffix}"
                break
    cached = (tuple(f), inflected)
    if len(names.word_cache) < WORD_CACHE_SIZE:
        names.word_cache[key] = cached
    return cached


def _context_features(lower: str, shape: str) -> tuple[tuple[str, str], ...]:
    """The features a word gives its neighbours at offsets -2, -1, +1, +2."""
    return tuple((f"{offset}w={lower}", f"{offset}sh={shape}") for offset in (-2, -1, 1, 2))


def sentence_features(words: list[str], lang: str, names: NameIndex) -> list[list[str]]:
    """One feature list per token; the same function serves training and tagging."""
    lowers = [w.lower() for w in words]
    gazetteer = [""] * len(words)
    tiers = [""] * len(words)  # "gt=<tier>" of the main name covering the token
    extra = [""] * len(words)  # "gx=<tier>" of an extra name covering the token
    i = 0
    while i < len(words):
        length = names.longest_match(words, i) if words[i][:1].isupper() else 0
        if length:
            gazetteer[i] = f"gazB{length}"
            for j in range(i + 1, i + length):
                gazetteer[j] = "gazI"
            tier = names.tier(" ".join(words[i : i + length]))
            if tier:
                for j in range(i, i + length):
                    tiers[j] = f"gt={tier}"
            i += length
            continue
        length = (names.longest_match(words, i, names.extra_names)
                  if names.extra_names and words[i][:1].isupper() else 0)
        if length:
            tier = names.extra[" ".join(words[i : i + length])]
            for j in range(i, i + length):
                extra[j] = f"gx={tier}"
            i += length
        else:
            i += 1
    own = [_word_features(word, lang, names) for word in words]
    context = [_context_features(lowers[i], own[i][0][2][3:]) for i in range(len(words))]
    features = []
    n = len(words)
    for i in range(n):
        static, inflected = own[i]
        f = list(static)
        if i == 0:
            f.append("first")
        if gazetteer[i]:
            f.append(gazetteer[i])
            if tiers[i]:
                f.append(tiers[i])
        elif inflected:
            f.append(inflected)
        if extra[i]:
            f.append(extra[i])
        for slot, offset in enumerate((-2, -1, 1, 2)):
            j = i + offset
            if 0 <= j < n:
                f.extend(context[j][slot])
                if gazetteer[j]:
                    f.append(f"{offset}{gazetteer[j][:4]}")
            else:
                f.append(f"{offset}w=<edge>")
        if i > 0:
            f.append(f"-1w|w={lowers[i - 1]}|{lowers[i]}")
        features.append(f)
    return features


def model_path(lang: str, model_dir: Path = MODEL_DIR) -> Path:
    return model_dir / f"toponym-crf-{lang}.crfsuite"


class ToponymTagger:
    """A loaded CRF model for one language. ``tag`` is thread-safe: crfsuite's tagger holds
    per-call state, so each thread gets its own."""

    def __init__(self, lang: str, path: Path, names: NameIndex) -> None:
        self.lang = lang
        self.path = path
        self.names = names
        self._local = threading.local()
        self._crf_tagger()  # fail at load, not at the first text

    @classmethod
    def load(cls, lang: str, *, model_dir: Path | None = None) -> ToponymTagger:
        """The tagger for ``lang`` ("de" or "en"), loaded once per process and model folder."""
        if lang not in LANGUAGES:
            raise ValueError(f"no toponym tagger for language {lang!r}; have {LANGUAGES}")
        return _load_cached(lang, model_dir or MODEL_DIR)

    def _crf_tagger(self):
        crf = getattr(self._local, "tagger", None)
        if crf is None:
            import pycrfsuite

            crf = pycrfsuite.Tagger()
            crf.open(str(self.path))
            self._local.tagger = crf
        return crf

    def tag(self, text: str) -> list[TaggedSpan]:
        """LOC, PER and ORG spans of ``text`` in text order (the CRF's best labelling)."""
        return list(self.annotate(text).spans)

    def annotate(self, text: str) -> TaggedText:
        """The best spans plus per-token label marginals, so the caller can also ask how
        likely a span the CRF did not pick (a gazetteer match) is a place or a person."""
        crf = self._crf_tagger()
        name_labels = [label for label in crf.labels() if label != "O"]
        spans: list[TaggedSpan] = []
        starts: list[int] = []
        ends: list[int] = []
        marginals: list[dict[str, float]] = []
        for sentence in split_sentences(text):
            words = [token.text for token in sentence]
            crf.set(sentence_features(words, self.lang, self.names))
            labels = crf.tag()
            spans.extend(_decode(sentence, labels, crf))
            for t, token in enumerate(sentence):
                starts.append(token.start)
                ends.append(token.end)
                inside: dict[str, float] = {}
                for label in name_labels:
                    inside[label[2:]] = inside.get(label[2:], 0.0) + crf.marginal(label, t)
                marginals.append(inside)
        return TaggedText(text, tuple(spans), tuple(starts), tuple(ends), tuple(marginals))


@dataclass(frozen=True)
class TaggedText:
    """What the tagger read in one text. ``token_*`` and ``marginals`` run in parallel:
    ``marginals[i][label]`` is the probability that token i lies inside a ``label`` name."""

    text: str
    spans: tuple[TaggedSpan, ...]
    token_starts: tuple[int, ...]
    token_ends: tuple[int, ...]
    marginals: tuple[dict[str, float], ...]

    def probability(self, start: int, end: int, label: str = "LOC") -> float:
        """How likely ``text[start:end]`` lies inside a ``label`` name: the smallest marginal
        over the tokens it overlaps (0.0 when it overlaps none)."""
        first = bisect_right(self.token_ends, start)
        values = []
        for i in range(first, len(self.token_starts)):
            if self.token_starts[i] >= end:
                break
            values.append(self.marginals[i].get(label, 0.0))
        return round(min(values), 4) if values else 0.0


def _decode(sentence: list[Token], labels: list[str], crf) -> list[TaggedSpan]:
    spans = []
    i = 0
    while i < len(labels):
        label = labels[i]
        if label == "O":
            i += 1
            continue
        kind = label[2:]
        j = i + 1
        while j < len(labels) and labels[j] == f"I-{kind}":
            j += 1
        last = j
        while last > i and not sentence[last - 1].text[0].isalnum():
            last -= 1  # a name never ends on punctuation ("Genf," in OCR-trained data)
        if last > i:
            prob = min(crf.marginal(labels[t], t) for t in range(i, last))
            spans.append(
                TaggedSpan(sentence[i].start, sentence[last - 1].end, kind, round(prob, 4))
            )
        i = j
    return spans


_cache: dict[tuple[str, Path], ToponymTagger] = {}
# One name index per model folder, shared by its languages' taggers: both read the same file,
# and the word cache inside is keyed by language.
_names_cache: dict[Path, NameIndex] = {}
_cache_lock = threading.Lock()


def _load_cached(lang: str, model_dir: Path) -> ToponymTagger:
    key = (lang, model_dir)
    with _cache_lock:
        tagger = _cache.get(key)
        if tagger is None:
            path = model_path(lang, model_dir)
            names_path = model_dir / NAMES_FILE
            if not path.is_file() or not names_path.is_file():
                raise TaggerModelMissing(
                    f"toponym model {path.name} or {NAMES_FILE} missing in {model_dir}; "
                    "run scripts/train_tagger.py"
                )
            names = _names_cache.get(model_dir)
            if names is None:
                names = _names_cache[model_dir] = NameIndex.read(names_path)
            tagger = ToponymTagger(lang, path, names)
            _cache[key] = tagger
        return tagger

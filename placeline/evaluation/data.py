"""Loaders for the gold data in the shared evaluation folder (never copied into the repo).

Every loader returns ``None`` when its files are absent, so tests and the CLI can skip cleanly.
Offsets are Python ``str`` indices into ``text``, end exclusive, as in the source files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import placeline

SPLITS = ("dev", "test", "all")
ENGLISH_NEWS_SETS = ("lgl", "geowebnews", "trnews", "geovirus")
# Sets whose source files have their own dev/test files; the rest use the line rule.
GERMAN_SETS: dict[str, dict[str, tuple[str, ...]]] = {
    "germeval": {"dev": ("germeval2014-dev",), "test": ("germeval2014-test",)},
    "hipe2020": {"dev": ("hipe2022-hipe2020-de-dev",), "test": ("hipe2022-hipe2020-de-test",)},
    "newseye": {
        "dev": ("hipe2022-newseye-de-dev", "hipe2022-newseye-de-dev2"),
        "test": ("hipe2022-newseye-de-test",),
    },
    "sonar": {"dev": ("hipe2022-sonar-de-dev",), "test": ("hipe2022-sonar-de-test",)},
    "mobie": {"dev": ("mobie-dev",), "test": ("mobie-test",)},
    "smartdata": {"dev": ("smartdata-dev",), "test": ("smartdata-test",)},
}
LINE_SPLIT_GERMAN_SETS: dict[str, tuple[str, ...]] = {
    "europeana": ("europeana-de-lft", "europeana-de-onb", "europeana-de-sbb"),
}
ALL_SETS = (
    ("seed", *ENGLISH_NEWS_SETS, "wiktor") + tuple(GERMAN_SETS) + tuple(LINE_SPLIT_GERMAN_SETS)
)
DEFAULT_SETS = ("seed", *ENGLISH_NEWS_SETS, "germeval")
PEER_SYSTEMS = (
    "CamCoder",
    "Edinburgh",
    "CLAVIN",
    "GeoTxt",
    "TopoCluster",
    "Yahoo",
    "DBpedia",
    "StanfordNER",
    "SpaCyNER",
)


@dataclass(frozen=True)
class GoldSpan:
    """One gold toponym. ``optional`` spans count neither as a miss nor as a false find.

    ``country`` and ``kind`` are known for the seed only; a gold country is resolved by any
    prediction with the same country code.
    """

    start: int
    end: int
    surface: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    kind: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    lang: str
    spans: tuple[GoldSpan, ...]
    published: str | None = None  # ISO date when the source gives one

    def scored_spans(self, *, located_only: bool) -> tuple[GoldSpan, ...]:
        """The gold the scorer uses. On sets with coordinates only located toponyms count, as
        in the published results (a find of an unlocated one is a false find there too)."""
        if not located_only:
            return self.spans
        return tuple(s for s in self.spans if s.lat is not None and s.lon is not None)


@dataclass(frozen=True)
class GoldSet:
    """A split of one evaluation set.

    ``has_coordinates``: resolution (Acc@161) is measured. ``has_precision``: every toponym is
    annotated, so false finds exist (not on WikToR, which annotates one name per article).
    """

    name: str
    lang: str
    split: str
    documents: tuple[GoldDocument, ...]
    has_coordinates: bool = True
    has_precision: bool = True
    counts_demonyms: bool = True  # whether the annotation scheme marks "Russian" as a toponym


@dataclass(frozen=True)
class PeerSpan:
    start: int
    end: int
    surface: str
    lat: float | None
    lon: float | None


def repo_root() -> Path:
    return Path(placeline.__file__).resolve().parents[1]


def find_shared_dir(shared_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The shared data folder: the argument, env PLACELINE_SHARED, or ``../shared`` next to
    the repo root or the current directory. None when none exists."""
    if shared_dir is not None:
        path = Path(shared_dir)
        return path if path.is_dir() else None
    env = os.environ.get("PLACELINE_SHARED")
    if env:
        path = Path(env)
        return path if path.is_dir() else None
    for base in (repo_root(), Path.cwd()):
        path = (base / ".." / "shared").resolve()
        if path.is_dir():
            return path
    return None


def in_split(line_number: int, split: str) -> bool:
    """The project's split rule for JSONL sets: 0-based line n is dev when n % 10 < 7."""
    if split == "all":
        return True
    if split == "dev":
        return line_number % 10 < 7
    if split == "test":
        return line_number % 10 >= 7
    raise ValueError(f"unknown split {split!r}; use one of {SPLITS}")


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    with path.open(encoding="utf-8") as handle:
        for line_number, line in enumerate(handle):
            if line.strip():
                yield line_number, json.loads(line)


def _iso_day(value: str | None) -> str | None:
    """The ISO day at the start of a source date such as "2009-03-20 12:24:52-05"."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def load_geoparsing_set(
    name: str, *, split: str = "dev", shared_dir: str | os.PathLike[str] | None = None
) -> GoldSet | None:
    """An English geoparsing set, every gold toponym kept (``lat``/``lon`` None where the gold
    has no coordinates; the scorer follows the published convention and drops those)."""
    root = find_shared_dir(shared_dir)
    path = root / "eval" / "geoparsing" / f"{name}.jsonl" if root else None
    if path is None or not path.is_file():
        return None
    documents = []
    for line_number, record in _read_jsonl(path):
        if not in_split(line_number, split):
            continue
        spans = tuple(
            GoldSpan(
                start=t["start"],
                end=t["end"],
                surface=t["surface"],
                lat=t.get("lat"),
                lon=t.get("lon"),
            )
            for t in record["toponyms"]
        )
        documents.append(
            GoldDocument(
                id=record["id"],
                text=record["text"],
                lang="en",
                spans=spans,
                published=_iso_day(record.get("date")),
            )
        )
    return GoldSet(
        name=name,
        lang="en",
        split=split,
        documents=tuple(documents),
        has_precision=name != "wiktor",
        # GeoVirus's guidelines annotate literal place names only: not one of its 2,170 gold
        # toponyms is a demonym, while LGL, GeoWebNews and TR-News mark 275, 330 and 123.
        counts_demonyms=name != "geovirus",
    )


def _german_documents(path: Path, *, split: str | None) -> Iterator[GoldDocument]:
    """LOC recognition: outer LOC entities are gold. LOC spans nested in an organisation name
    and LOCpart compounds are optional, as the seed treats "России" in "МИД России" and
    "Aleppo" in "Aleppo-Abkommen". LOCderiv adjectives ("deutschen") are not places."""
    for line_number, record in _read_jsonl(path):
        if split is not None and not in_split(line_number, split):
            continue
        required = [
            GoldSpan(e["start"], e["end"], e["surface"])
            for e in record["entities"]
            if e["label"] == "LOC"
        ]
        optional = [
            GoldSpan(e["start"], e["end"], e["surface"], optional=True)
            for e in record.get("nested", []) + record.get("sub", [])
            if e["label"] in ("LOC", "LOCpart")
        ]
        yield GoldDocument(
            id=record["id"],
            text=record["text"],
            lang="de",
            spans=tuple(sorted(required + optional, key=lambda s: (s.start, s.end))),
            published=_iso_day(record.get("date")),
        )


def load_german_ner_set(
    name: str, *, split: str = "dev", shared_dir: str | os.PathLike[str] | None = None
) -> GoldSet | None:
    root = find_shared_dir(shared_dir)
    folder = root / "eval" / "german-ner" if root else None
    if folder is None or not folder.is_dir():
        return None
    if name in GERMAN_SETS:
        parts = GERMAN_SETS[name]
        stems = parts["dev"] + parts["test"] if split == "all" else parts[split]
        files = [(folder / f"{stem}.jsonl", None) for stem in stems]
    elif name in LINE_SPLIT_GERMAN_SETS:
        files = [(folder / f"{stem}.jsonl", split) for stem in LINE_SPLIT_GERMAN_SETS[name]]
    else:
        raise ValueError(f"unknown German set {name!r}")
    if not all(path.is_file() for path, _ in files):
        return None
    documents = tuple(
        doc for path, line_split in files for doc in _german_documents(path, split=line_split)
    )
    return GoldSet(name=name, lang="de", split=split, documents=documents, has_coordinates=False)


def load_peer_outputs(
    name: str, *, shared_dir: str | os.PathLike[str] | None = None
) -> dict[str, dict[str, tuple[PeerSpan, ...]]] | None:
    """The stored EUPEG outputs of the nine peer systems: {system: {doc id: spans}}."""
    root = find_shared_dir(shared_dir)
    path = root / "eval" / "geoparsing" / "peer_outputs" / f"eupeg_{name}.jsonl" if root else None
    if path is None or not path.is_file():
        return None
    outputs: dict[str, dict[str, tuple[PeerSpan, ...]]] = {}
    for _, record in _read_jsonl(path):
        outputs.setdefault(record["system"], {})[record["id"]] = tuple(
            PeerSpan(t["start"], t["end"], t["surface"], t.get("lat"), t.get("lon"))
            for t in record["toponyms"]
        )
    return outputs


@dataclass(frozen=True)
class GoldDate:
    start: int
    end: int
    surface: str
    value: str | None
    optional: bool = False


@dataclass(frozen=True)
class GoldStatement:
    speaker: str
    start: int  # the quote
    end: int
    surface: str
    optional: bool = False
    indirect: bool = False


@dataclass(frozen=True)
class GoldEvent:
    summary: str
    date: str | None
    start: int  # the evidence
    end: int
    optional: bool = False


@dataclass(frozen=True)
class SeedGold:
    """The reference article with its hand-made annotation (format described in gold.json)."""

    document: GoldDocument
    published: str
    header: tuple[int, int] | None  # span of the "date 2016-12" header line, if any
    dates: tuple[GoldDate, ...]
    statements: tuple[GoldStatement, ...]
    events: tuple[GoldEvent, ...]


def load_seed(*, shared_dir: str | os.PathLike[str] | None = None) -> SeedGold | None:
    root = find_shared_dir(shared_dir)
    gold_path = root / "seed" / "gold.json" if root else None
    if gold_path is None or not gold_path.is_file():
        return None
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = gold_path.parent / gold["file"]
    if not text_path.is_file():
        return None
    with text_path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    referents = gold["referents"]
    spans = []
    for place in gold["places"]:
        referent = referents[place["ref"]]
        spans.append(
            GoldSpan(
                start=place["start"],
                end=place["end"],
                surface=place["surface"],
                lat=referent["lat"],
                lon=referent["lon"],
                country=referent.get("country") or None,
                kind=referent.get("kind"),
                optional=bool(place.get("optional")),
            )
        )
    dates = tuple(
        GoldDate(d["span"][0], d["span"][1], d["surface"], d["value"], bool(d.get("optional")))
        for d in gold["dates"]
    )
    # The export's header line ("date 2016-12") is annotated as a date; its note says so.
    header = next((tuple(d["span"]) for d in gold["dates"] if "header" in d.get("note", "")), None)
    statements = tuple(
        GoldStatement(
            speaker=s["speaker"],
            start=s["quote"][0],
            end=s["quote"][1],
            surface=s["surface"],
            optional=bool(s.get("optional")),
            indirect=bool(s.get("indirect")),
        )
        for s in gold["statements"]
    )
    events = tuple(
        GoldEvent(
            summary=e["summary"],
            date=e["date"],
            start=e["evidence"][0],
            end=e["evidence"][1],
            optional=bool(e.get("optional")),
        )
        for e in gold["events"]
    )
    return SeedGold(
        document=GoldDocument(
            id=gold["file"],
            text=text,
            lang=gold.get("lang", "de"),
            spans=tuple(spans),
            published=gold["published"],
        ),
        published=gold["published"],
        header=header,
        dates=dates,
        statements=statements,
        events=events,
    )


def load_set(
    name: str, *, split: str = "dev", shared_dir: str | os.PathLike[str] | None = None
) -> GoldSet | None:
    """Any place set by name (not the seed, which has its own loader)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; use one of {SPLITS}")
    if name in (*ENGLISH_NEWS_SETS, "wiktor"):
        return load_geoparsing_set(name, split=split, shared_dir=shared_dir)
    if name in GERMAN_SETS or name in LINE_SPLIT_GERMAN_SETS:
        return load_german_ner_set(name, split=split, shared_dir=shared_dir)
    raise ValueError(f"unknown evaluation set {name!r}; known: {', '.join(ALL_SETS)}")

"""Speed and accuracy of the CRF toponym tagger, alone and combined with the gazetteer stage.

    .venv/bin/python benchmarks/bench_tagger.py            # test splits, all sets
    .venv/bin/python benchmarks/bench_tagger.py --sets germeval lgl --split test
    .venv/bin/python benchmarks/bench_tagger.py --cv 5          # German k-fold, see below

Accuracy is LOC span P/R/F1 (one-to-one matching, exact and overlap) on the TEST splits, which
the tagger never saw: germeval2014-test (outer LOC entities; nested LOC and LOCpart spans are
optional as in placeline's evaluation, LOCderiv adjectives are not places; "strict" counts
outer LOC only) and lines n % 10 >= 7 of the English sets (toponyms with coordinates, as in
placeline's evaluation). Rows:

* gazetteer: the places stage as it is (``analyze`` -> places[*].mentions + unresolved)
* tagger: the CRF's LOC spans
* union: tagger LOC spans plus every gazetteer match that overlaps none of them
* gated@t: tagger LOC spans plus the gazetteer matches that overlap none of them and that the
  tagger gives a LOC probability >= t (``TaggedText.probability``); t = 0.05 drops only the
  matches the tagger is sure are persons, organisations or common words

``--cv K`` measures German on data no model saw without touching GermEval test: for each fold
f, a model is trained (shipped settings) without GermEval-dev lines n % K == f and scored on
them, the tagger alone and the places stage with it (``find_places``, overlap match, nested
LOC and LOCpart optional as in ``placeline evaluate``). The first fold's model is also scored
on the lines n % 10 >= 7 of the Europeana and HIPE newseye/sonar files, which training never
reads. Each fold trains for 3 to 6 minutes.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from placeline.evaluation.data import ENGLISH_NEWS_SETS, load_set
from placeline.evaluation.scoring import PlaceTally
from placeline.places.tagger import TaggedText, ToponymTagger, model_path, split_sentences

MODES = ("exact", "overlap")
GATES = (0.05, 0.2, 0.5)


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    surface: str


def gazetteer_spans(text: str, lang: str) -> list[Found]:
    from placeline.ingest import document_from_text
    from placeline.pipeline import analyze

    analysis = analyze(document_from_text(text, lang=lang))
    mentions = [m for place in analysis.places for m in place.mentions]
    mentions += list(analysis.unresolved)
    return sorted({Found(m.start, m.end, m.text) for m in mentions}, key=lambda f: f.start)


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def combine(tagged: TaggedText, gazetteer: list[Found], *, min_loc: float = 0.0) -> list[Found]:
    """The recommended combination (see data/models/README.md)."""
    loc = [s for s in tagged.spans if s.label == "LOC"]
    found = [Found(s.start, s.end, tagged.text[s.start : s.end]) for s in loc]
    for match in gazetteer:
        if any(_overlaps(match, s) for s in loc):
            continue
        if min_loc > 0 and tagged.probability(match.start, match.end, "LOC") < min_loc:
            continue
        found.append(match)
    return sorted(found, key=lambda f: f.start)


def score(rows: dict[str, list[PlaceTally]]) -> dict[str, dict[str, tuple[float, float, float]]]:
    table = {}
    for name, tallies in rows.items():
        table[name] = {}
        for tally in tallies:
            result = tally.score()
            table[name][tally.mode] = (result.precision or 0.0, result.recall, result.f1 or 0.0)
    return table


def evaluate(
    set_name: str, split: str, *, with_gazetteer: bool, model_dir: Path | None = None
) -> dict | None:
    gold_set = load_set(set_name, split=split)
    if gold_set is None:
        return None
    tagger = ToponymTagger.load(gold_set.lang, model_dir=model_dir)
    systems = ["tagger", "tagger strict"] if set_name == "germeval" else ["tagger"]
    if with_gazetteer:
        systems += ["gazetteer", "union", *(f"gated@{t}" for t in GATES)]
    rows = {name: [PlaceTally(mode=mode) for mode in MODES] for name in systems}
    for doc in gold_set.documents:
        gold = doc.scored_spans(located_only=gold_set.has_coordinates)
        strict = [g for g in gold if not g.optional]
        tagged = tagger.annotate(doc.text)
        predictions = {
            "tagger": [Found(s.start, s.end, doc.text[s.start : s.end]) for s in tagged.spans
                       if s.label == "LOC"],
        }
        predictions["tagger strict"] = predictions["tagger"]
        if with_gazetteer:
            gazetteer = gazetteer_spans(doc.text, gold_set.lang)
            predictions["gazetteer"] = gazetteer
            predictions["union"] = combine(tagged, gazetteer)
            for gate in GATES:
                predictions[f"gated@{gate}"] = combine(tagged, gazetteer, min_loc=gate)
        for name, tallies in rows.items():
            for tally in tallies:
                tally.add(strict if name == "tagger strict" else gold, predictions[name],
                          resolve=False)
    return {"set": set_name, "docs": len(gold_set.documents), "table": score(rows)}


def speed(set_name: str = "germeval", split: str = "test") -> str:
    gold_set = load_set(set_name, split=split)
    if gold_set is None:
        return f"{set_name}: not available"
    tagger = ToponymTagger.load(gold_set.lang)
    texts = [doc.text for doc in gold_set.documents]
    sentences = sum(len(split_sentences(text)) for text in texts)
    tagger.tag(texts[0])
    started = time.perf_counter()
    for text in texts:
        tagger.tag(text)
    seconds = time.perf_counter() - started
    return (f"{set_name} {split}: {len(texts)} docs, {sentences} sentences in {seconds:.2f} s = "
            f"{sentences / seconds:.0f} sentences/s, {len(texts) / seconds:.0f} docs/s")


def cross_validate(folds: int, only: list[int] | None, heldout_stride: int = 3) -> None:
    import importlib.util
    import tempfile

    from placeline.evaluation.data import _german_documents
    from placeline.evaluation.scoring import PredictedSpan
    from placeline.ingest import document_from_text
    from placeline.places import PlaceFinder, find_places
    from placeline.places.tagger import NAMES_FILE

    spec = importlib.util.spec_from_file_location(
        "train_tagger", Path(__file__).resolve().parents[1] / "scripts" / "train_tagger.py")
    train = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_tagger", train)
    spec.loader.exec_module(train)
    shared = train.find_shared(None)
    folder = shared / "eval" / "german-ner"
    germeval = list(_german_documents(folder / "germeval2014-dev.jsonl", split=None))
    names = train.build_name_index()
    totals = {name: PlaceTally(mode="overlap") for name in ("tagger", "places stage")}

    def stage_spans(text: str, finder: PlaceFinder) -> list[PredictedSpan]:
        result = find_places(document_from_text(text, lang="de"), finder=finder)
        spans = [PredictedSpan(m.start, m.end, m.text) for p in result.places for m in p.mentions]
        return spans + [PredictedSpan(m.start, m.end, m.text) for m in result.unresolved]

    def tagger_spans(text: str, tagger: ToponymTagger) -> list[PredictedSpan]:
        return [PredictedSpan(s.start, s.end, text[s.start : s.end]) for s in tagger.tag(text)
                if s.label == "LOC"]

    def line(tallies: dict[str, PlaceTally]) -> str:
        return "  ".join(
            f"{name} {'{:.3f}/{:.3f}/{:.3f}'.format(*_prf(tally))}" for name, tally in tallies.items()
        )

    with tempfile.TemporaryDirectory() as tmp:
        for fold in only if only is not None else range(folds):
            model_dir = Path(tmp) / f"fold{fold}"
            model_dir.mkdir()
            names.write(model_dir / NAMES_FILE)
            corpus = train.german_corpus(
                shared, news_copies=train.DEFAULT_PARAMS["news_copies"],
                germeval_holdout=lambda n, fold=fold: n % folds == fold)
            sequences, _ = train.to_sequences(corpus)
            started = time.perf_counter()
            train.train(sequences, model_path("de", model_dir), lang="de", names=names)
            seconds = time.perf_counter() - started
            tagger = ToponymTagger.load("de", model_dir=model_dir)
            finder = PlaceFinder(use_tagger=True, tagger_loader=lambda lang, t=tagger: t)
            tallies = {name: PlaceTally(mode="overlap") for name in totals}
            for doc in (d for n, d in enumerate(germeval) if n % folds == fold):
                tallies["tagger"].add(doc.spans, tagger_spans(doc.text, tagger), resolve=False)
                tallies["places stage"].add(doc.spans, stage_spans(doc.text, finder),
                                            resolve=False)
            for name, tally in tallies.items():
                totals[name].tp += tally.tp
                totals[name].fp += tally.fp
                totals[name].fn += tally.fn
            print(f"fold {fold} (trained in {seconds:.0f} s): {line(tallies)}", flush=True)
            if fold != (only[0] if only else 0):
                continue
            for pattern in ("europeana-de-*", "hipe2022-newseye-de-*", "hipe2022-sonar-de-*"):
                held = {name: PlaceTally(mode="overlap") for name in totals}
                for path in sorted(folder.glob(f"{pattern}.jsonl")):
                    for doc in list(_german_documents(path, split="test"))[::heldout_stride]:
                        held["tagger"].add(doc.spans, tagger_spans(doc.text, tagger),
                                           resolve=False)
                        held["places stage"].add(doc.spans, stage_spans(doc.text, finder),
                                                 resolve=False)
                print(f"  held-out lines of {pattern}: {line(held)}", flush=True)
    print(f"all folds: {line(totals)}")


def _prf(tally: PlaceTally) -> tuple[float, float, float]:
    result = tally.score()
    return result.precision or 0.0, result.recall, result.f1 or 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CRF toponym tagger: speed and accuracy")
    parser.add_argument("--sets", nargs="*", default=["germeval", *ENGLISH_NEWS_SETS])
    parser.add_argument("--split", default="test", choices=("dev", "test"))
    parser.add_argument("--no-gazetteer", action="store_true", help="score the tagger alone")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--model-dir", type=Path, help="models to score (default data/models)")
    parser.add_argument("--cv", type=int, metavar="K",
                        help="German k-fold cross-validation on GermEval dev (trains K models)")
    parser.add_argument("--folds", type=int, nargs="*", help="with --cv: only these folds")
    args = parser.parse_args(argv)
    if args.cv:
        cross_validate(args.cv, args.folds)
        return 0
    started = time.perf_counter()
    ToponymTagger.load("de")
    ToponymTagger.load("en")
    print(f"load both models: {time.perf_counter() - started:.2f} s")
    if not args.no_speed:
        print(speed("germeval", args.split))
        print(speed("lgl", args.split))
    print(f"\n{'set':<11}{'system':<15}" + "".join(f"{m + ' P/R/F1':>24}" for m in MODES))
    for set_name in args.sets:
        result = evaluate(set_name, args.split, with_gazetteer=not args.no_gazetteer,
                          model_dir=args.model_dir)
        if result is None:
            print(f"{set_name:<11}skipped: data not found")
            continue
        for system, by_mode in result["table"].items():
            cells = "".join(
                f"{'{:.3f}/{:.3f}/{:.3f}'.format(*by_mode[m]):>24}" for m in MODES
            )
            print(f"{set_name:<11}{system:<15}{cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

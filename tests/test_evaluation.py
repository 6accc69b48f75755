"""The scorer on tiny hand-made gold/prediction pairs, and the loaders and runner on a tiny
shared folder written by the tests (no ../shared needed)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from placeline.evaluation import (
    PlaceTally,
    PredictedSpan,
    evaluate_set,
    find_shared_dir,
    format_report,
    in_split,
    load_peer_outputs,
    load_seed,
    load_set,
    main,
    match_spans,
    read_baseline,
    regressions,
    run_evaluation,
)
from placeline.evaluation.data import GoldSpan
from placeline.evaluation.scoring import (
    MAX_ERROR_KM,
    acc_at_161,
    error_auc,
    haversine_km,
    place_score,
    resolution_error_km,
)
from placeline.evaluation.seed import normalize_speaker, score_seed_analysis, seed_document_text
from placeline.model import (
    Analysis,
    Document,
    Event,
    Mention,
    Place,
    Span,
    Speaker,
    TimeExpression,
)

BERLIN = (52.52, 13.40)
HAMBURG = (53.55, 9.99)


def gold(start, end, surface="x", lat=None, lon=None, **extra):
    return GoldSpan(start, end, surface, lat, lon, **extra)


def pred(start, end, surface="x", lat=None, lon=None, country=None):
    return PredictedSpan(start, end, surface, lat, lon, country)


# --- matching -------------------------------------------------------------------------------


def test_overlap_matching_is_one_to_one_and_greedy_by_largest_overlap():
    golds = [gold(0, 10), gold(12, 20)]
    preds = [pred(8, 14), pred(0, 9)]  # (8,14) overlaps gold 0 by 2 and gold 1 by 2
    assert match_spans(golds, preds) == [(0, 1), (1, 0)]
    # two finds inside one gold span: one hit, one false find
    tally = PlaceTally()
    tally.add([gold(0, 16)], [pred(0, 7), pred(8, 16)], resolve=False)
    assert (tally.tp, tally.fp, tally.fn) == (1, 1, 0)


def test_largest_overlap_wins_the_gold_span():
    assert match_spans([gold(0, 16)], [pred(0, 3), pred(2, 16)]) == [(0, 1)]


def test_touching_spans_do_not_overlap():
    assert match_spans([gold(0, 5)], [pred(5, 9)]) == []


def test_exact_mode_needs_both_ends():
    assert match_spans([gold(0, 7)], [pred(0, 6)], mode="exact") == []
    assert match_spans([gold(0, 7)], [pred(0, 7)], mode="exact") == [(0, 0)]


def test_gritta_rule_needs_same_surface_and_close_midpoints():
    golds = [gold(100, 107, "Helmand")]
    assert match_spans(golds, [pred(104, 111, "helmand")], mode="gritta") == [(0, 0)]
    assert match_spans(golds, [pred(120, 127, "Helmand")], mode="gritta") == []
    assert match_spans(golds, [pred(100, 116, "Helmand Province")], mode="gritta") == []
    with pytest.raises(ValueError):
        match_spans(golds, [], mode="fuzzy")


def test_optional_gold_is_neither_a_miss_nor_a_false_find():
    golds = [gold(0, 6), gold(10, 16, optional=True), gold(20, 26, optional=True)]
    tally = PlaceTally()
    tally.add(golds, [pred(0, 6), pred(10, 16)], resolve=False)
    assert (tally.tp, tally.fp, tally.fn) == (1, 0, 0)


def test_required_gold_is_matched_before_optional_gold():
    golds = [gold(0, 10, optional=True), gold(5, 8)]
    tally = PlaceTally()
    tally.add(golds, [pred(0, 10)], resolve=False)
    assert (tally.tp, tally.fp, tally.fn) == (1, 0, 0)


def test_precision_recall_f1():
    score = place_score(3, 1, 2, [])
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.6)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert score.acc161 is None and score.auc is None
    assert place_score(0, 0, 4, []).f1 == 0.0
    assert place_score(2, 0, 2, [], has_precision=False).precision is None


# --- resolution -----------------------------------------------------------------------------


def test_haversine_berlin_hamburg():
    assert haversine_km(*BERLIN, *HAMBURG) == pytest.approx(255, abs=3)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20015, abs=5)


def test_resolution_errors_and_acc161():
    tally = PlaceTally()
    golds = [gold(0, 6, lat=BERLIN[0], lon=BERLIN[1]), gold(10, 17, lat=HAMBURG[0], lon=HAMBURG[1])]
    tally.add(golds, [pred(0, 6, lat=52.5, lon=13.3), pred(10, 17, lat=BERLIN[0], lon=BERLIN[1])])
    score = tally.score()
    assert score.resolved_pairs == 2
    assert score.acc161 == 0.5
    assert score.mean_error_km == pytest.approx((tally.errors[0] + tally.errors[1]) / 2)
    assert tally.errors[0] < 10 and tally.errors[1] == pytest.approx(255, abs=3)


def test_unresolved_find_counts_as_found_and_wrong():
    golds = [gold(0, 6, lat=BERLIN[0], lon=BERLIN[1])]
    wrong = PlaceTally(nil="wrong")
    wrong.add(golds, [pred(0, 6)])
    assert (wrong.tp, wrong.errors) == (1, [MAX_ERROR_KM])
    dropped = PlaceTally(nil="drop")
    dropped.add(golds, [pred(0, 6)])
    assert (dropped.tp, dropped.errors) == (1, [])


def test_country_rule_same_code_is_exact():
    germany = gold(0, 11, "Deutschland", lat=51.5, lon=10.5, country="DE", kind="country")
    assert resolution_error_km(germany, pred(0, 11, lat=48.0, lon=7.0, country="DE")) == 0.0
    # a city in Germany is not the country, and a wrong country is measured by distance
    assert resolution_error_km(germany, pred(0, 11, lat=48.0, lon=7.0)) > 161
    assert resolution_error_km(germany, pred(0, 11, lat=46.0, lon=2.0, country="FR")) > 161
    # a city gold is never resolved by the country rule
    city = gold(0, 6, lat=BERLIN[0], lon=BERLIN[1], country="DE", kind="city")
    assert resolution_error_km(city, pred(0, 6, lat=48.0, lon=7.0, country="DE")) > 161


def test_acc161_boundary_and_auc():
    assert acc_at_161([160.9, 161.0, 0.0]) == pytest.approx(2 / 3)
    assert error_auc([0.0, 0.0, 0.0]) == 0.0
    assert error_auc([0.0, MAX_ERROR_KM]) == pytest.approx(0.5)
    # trapezoids spaced 1/(n-1) over sorted ln(1+err)/ln(20039)
    import math

    ys = sorted(math.log1p(e) / math.log(MAX_ERROR_KM) for e in (10.0, 1000.0, 100.0))
    expected = (sum(ys) - (ys[0] + ys[-1]) / 2) / 2
    assert error_auc([1000.0, 10.0, 100.0]) == pytest.approx(expected)
    assert error_auc([]) is None


def test_split_rule():
    assert [in_split(n, "dev") for n in range(10)] == [True] * 7 + [False] * 3
    assert [in_split(n, "test") for n in (6, 7, 17, 20)] == [False, True, True, False]
    with pytest.raises(ValueError):
        in_split(0, "train")


# --- loaders and runner on a tiny shared folder ----------------------------------------------

SEED_TEXT = (
    ' date 2016-12 In Hamburg sagte Kerry: "Wir hoffen". Am Mittwoch traf er Lawrow in Deutschland.'
)


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    root = tmp_path / "shared"
    docs = []
    for n in range(10):
        text = f"News from Berlin number {n}."
        docs.append(
            {
                "id": f"lgl-{n}",
                "text": text,
                "date": "2009-03-20 12:24:52-05",
                "toponyms": [
                    {"start": 10, "end": 16, "surface": "Berlin", "lat": 52.52, "lon": 13.4},
                    {"start": 0, "end": 4, "surface": "News", "lat": None, "lon": None},
                ],
            }
        )
    _write_jsonl(root / "eval" / "geoparsing" / "lgl.jsonl", docs)
    _write_jsonl(
        root / "eval" / "geoparsing" / "peer_outputs" / "eupeg_lgl.jsonl",
        [
            {
                "id": d["id"],
                "system": "CamCoder",
                "toponyms": [
                    {"start": 10, "end": 16, "surface": "Berlin", "lat": 52.5, "lon": 13.4}
                ],
            }
            for d in docs
        ],
    )
    sentence = "Der FC Kickers Darmstadt spielt in Berlin ."
    _write_jsonl(
        root / "eval" / "german-ner" / "germeval2014-dev.jsonl",
        [
            {
                "id": "germeval2014-dev-00001",
                "text": sentence,
                "entities": [
                    {"start": 4, "end": 24, "label": "ORG", "surface": "FC Kickers Darmstadt"},
                    {"start": 35, "end": 41, "label": "LOC", "surface": "Berlin"},
                ],
                "sub": [],
                "nested": [{"start": 15, "end": 24, "label": "LOC", "surface": "Darmstadt"}],
            }
        ],
    )
    _write_jsonl(root / "eval" / "german-ner" / "germeval2014-test.jsonl", [])
    (root / "seed").mkdir(parents=True)
    (root / "seed" / "article.txt").write_text(SEED_TEXT, encoding="utf-8")
    hamburg = SEED_TEXT.index("Hamburg")
    germany = SEED_TEXT.index("Deutschland")
    quote = SEED_TEXT.index("Wir hoffen")
    wednesday = SEED_TEXT.index("Am Mittwoch")
    gold_json = {
        "file": "article.txt",
        "published": "2016-12-08",
        "lang": "de",
        "referents": {
            "HAM": {"name": "Hamburg", "country": "DE", "lat": 53.55, "lon": 9.99, "kind": "city"},
            "DE": {"name": "Germany", "country": "DE", "lat": 51.5, "lon": 10.5, "kind": "country"},
        },
        "places": [
            {"start": hamburg, "end": hamburg + 7, "surface": "Hamburg", "ref": "HAM"},
            {"start": germany, "end": germany + 11, "surface": "Deutschland", "ref": "DE"},
        ],
        "dates": [
            {"span": [1, 13], "value": "2016-12", "note": "header line", "surface": "date 2016-12"},
            {"span": [wednesday, wednesday + 11], "value": "2016-12-07", "surface": "Am Mittwoch"},
        ],
        "statements": [
            {"speaker": "John Kerry", "quote": [quote, quote + 10], "surface": "Wir hoffen"}
        ],
        "events": [
            {"summary": "meeting", "date": "2016-12-07", "evidence": [wednesday, len(SEED_TEXT)]}
        ],
    }
    (root / "seed" / "gold.json").write_text(json.dumps(gold_json), encoding="utf-8")
    return root


def test_missing_shared_dir_is_none(tmp_path: Path):
    missing = tmp_path / "nowhere"
    assert find_shared_dir(missing) is None
    assert load_set("lgl", shared_dir=missing) is None
    assert load_seed(shared_dir=missing) is None
    assert run_evaluation(shared_dir=missing, analyzer=lambda d: Analysis(document=d)) is None
    assert main(["--shared-dir", str(missing)], out=io.StringIO()) == 1


def test_loaders_apply_the_split_rule(shared: Path):
    dev = load_set("lgl", split="dev", shared_dir=shared)
    test = load_set("lgl", split="test", shared_dir=shared)
    assert [d.id for d in dev.documents] == [f"lgl-{n}" for n in range(7)]
    assert [d.id for d in test.documents] == ["lgl-7", "lgl-8", "lgl-9"]
    assert dev.documents[0].published == "2009-03-20"
    located = dev.documents[0].scored_spans(located_only=True)
    assert [s.surface for s in located] == ["Berlin"]
    peers = load_peer_outputs("lgl", shared_dir=shared)
    assert set(peers) == {"CamCoder"} and len(peers["CamCoder"]) == 10


def test_german_loader_counts_outer_loc_and_makes_nested_loc_optional(shared: Path):
    germeval = load_set("germeval", split="dev", shared_dir=shared)
    spans = germeval.documents[0].spans
    assert [(s.surface, s.optional) for s in spans] == [("Darmstadt", True), ("Berlin", False)]
    assert load_set("germeval", split="test", shared_dir=shared).documents == ()


def _analysis_with(document: Document, found: dict[str, tuple[float, float, str, str]]) -> Analysis:
    places = []
    for name, (lat, lon, country, kind) in found.items():
        start = document.text.find(name)
        if start >= 0:
            mention = Mention(start, start + len(name), name)
            places.append(Place(name, name, country, lat, lon, kind, 1.0, (mention,)))
    return Analysis(document=document, places=tuple(places))


def test_evaluate_set_scores_placeline_and_peers_on_the_same_docs(shared: Path):
    lgl = load_set("lgl", split="dev", shared_dir=shared)
    peers = load_peer_outputs("lgl", shared_dir=shared)
    perfect = evaluate_set(
        lgl,
        analyzer=lambda d: _analysis_with(d, {"Berlin": (52.52, 13.4, "DE", "city")}),
        peers=peers,
        stride=2,
    )
    assert perfect.documents == 4 and perfect.gold_toponyms == 4
    assert perfect.placeline.score.f1 == 1.0 and perfect.placeline.score.acc161 == 1.0
    assert perfect.peers[0].system == "CamCoder" and perfect.peers[0].score.f1 == 1.0
    # a find of the unlocated "News" is a false find, as in the published convention
    noisy = evaluate_set(
        lgl,
        analyzer=lambda d: _analysis_with(
            d, {"Berlin": (40.0, -100.0, "US", "city"), "News": (0.0, 0.0, "", "other")}
        ),
        limit=2,
    )
    assert noisy.placeline.score.precision == 0.5 and noisy.placeline.score.acc161 == 0.0
    table = format_report(
        run_evaluation(sets=["lgl"], shared_dir=shared, analyzer=lambda d: Analysis(document=d))
    )
    assert "lgl" in table and "CamCoder" in table


def _seed_analysis(document: Document, *, speaker: str, date_value: str | None) -> Analysis:
    text = document.text
    found = _analysis_with(
        document,
        {"Hamburg": (53.55, 9.99, "DE", "city"), "Deutschland": (51.0, 9.0, "DE", "country")},
    )
    wednesday = text.index("Am Mittwoch")
    date = TimeExpression(wednesday, wednesday + 11, "Am Mittwoch", value=date_value)
    quote = text.index("Wir hoffen")
    statement = Event(
        id="s1",
        kind="statement",
        summary="",
        evidence=Span(0, len(text), text),
        speaker=Speaker(speaker),
        quote=Span(quote, quote + 10, "Wir hoffen"),
    )
    meeting = Event(
        id="e1",
        kind="event",
        summary="",
        evidence=Span(wednesday, len(text), text[wednesday:]),
        date=date,
    )
    return Analysis(
        document=document, places=found.places, dates=(date,), events=(statement, meeting)
    )


def test_seed_scoring_counts_dates_statements_and_events(shared: Path):
    seed = load_seed(shared_dir=shared)
    document = Document(id="seed", text=seed.document.text)
    right = score_seed_analysis(
        seed, _seed_analysis(document, speaker="John Kerry", date_value="2016-12-07")
    )
    assert right.places.f1 == 1.0 and right.places.acc161 == 1.0
    assert (right.dates_right, right.dates_total) == (1, 2)  # the header date was not found
    assert (right.statements_right_speaker, right.statements_total) == (1, 1)
    assert (right.events_found, right.events_total) == (1, 1)
    wrong = score_seed_analysis(
        seed, _seed_analysis(document, speaker="Kerry", date_value="2016-12-14")
    )
    assert (wrong.dates_right, wrong.statements_found, wrong.statements_right_speaker) == (0, 1, 0)
    assert wrong.events_found == 0
    assert any("Kerry" in miss for miss in wrong.misses)


def test_seed_without_date_blanks_the_header_and_skips_its_gold(shared: Path):
    seed = load_seed(shared_dir=shared)
    blanked = seed_document_text(seed, "none")
    assert len(blanked) == len(seed.document.text) and "2016" not in blanked[:14]
    report = score_seed_analysis(
        seed,
        _seed_analysis(
            Document(id="s", text=blanked), speaker="John Kerry", date_value="2016-12-07"
        ),
        date_mode="none",
    )
    assert (report.dates_right, report.dates_total) == (1, 1)


def test_speaker_normalisation():
    assert normalize_speaker("der  Stadtrat von Idlib") == normalize_speaker("Stadtrat von Idlib")
    assert normalize_speaker("Assad") != normalize_speaker("Baschar al-Assad")


def test_update_baseline_and_regressions(shared: Path, tmp_path: Path):
    path = tmp_path / "baseline.json"
    out = io.StringIO()

    def perfect(document: Document) -> Analysis:
        return _analysis_with(document, {"Berlin": (52.52, 13.4, "DE", "city")})

    argv = ["--shared-dir", str(shared), "--update-baseline", "--baseline", str(path)]
    assert main(argv, out=out, analyzer=perfect) == 0
    baseline = read_baseline(path)
    assert baseline.metrics["lgl.f1"] == 1.0 and "germeval.f1" in baseline.metrics
    assert regressions(baseline.metrics, baseline) == []
    worse = dict(baseline.metrics, **{"lgl.f1": 0.9})
    assert regressions(worse, baseline) == [
        "lgl.f1: 0.9000 is below the baseline 1.0000 (tolerance 0.005)"
    ]
    missing = {k: v for k, v in baseline.metrics.items() if k != "lgl.acc161"}
    assert any(m.startswith("lgl.acc161: missing") for m in regressions(missing, baseline))


def test_cli_json_and_usage_errors(shared: Path):
    out = io.StringIO()
    code = main(
        ["--shared-dir", str(shared), "--sets", "lgl,germeval", "--json", "--limit", "3"],
        out=out,
        analyzer=lambda d: Analysis(document=d),
    )
    payload = json.loads(out.getvalue())
    assert code == 0 and payload["metrics"]["lgl.f1"] == 0.0
    assert [s["documents"] for s in payload["sets"]] == [3, 1]
    assert main(["--sets", "atlantis"], out=io.StringIO()) == 2
    assert main(["--limit", "0"], out=io.StringIO()) == 2

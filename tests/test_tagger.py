"""The CRF toponym tagger: the committed models load and tag with exact offsets, the training
script trains a working model from a tiny in-memory corpus."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from placeline.places.tagger import (
    MODEL_DIR,
    NAMES_FILE,
    NameIndex,
    TaggedSpan,
    TaggerModelMissing,
    ToponymTagger,
    model_path,
    sentence_features,
    split_sentences,
    tokenize,
)

REPO = Path(__file__).resolve().parents[1]


def _train_module():
    spec = importlib.util.spec_from_file_location("train_tagger", REPO / "scripts" / "train_tagger.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_tagger", module)
    spec.loader.exec_module(module)
    return module


def _spans(text: str, tagger: ToponymTagger) -> dict[str, str]:
    return {text[s.start : s.end]: s.label for s in tagger.tag(text)}


def test_committed_models_exist_and_are_small():
    for lang in ("de", "en"):
        path = model_path(lang)
        assert path.is_file(), f"{path} must be committed with the code"
        assert path.stat().st_size < 5_000_000
    assert (MODEL_DIR / NAMES_FILE).is_file()


def test_german_sentence_offsets_and_labels():
    tagger = ToponymTagger.load("de")
    text = "Der Hamburger Senat tagte gestern in Hamburg.  Danach reiste John Kerry nach Ost-Aleppo."
    spans = tagger.tag(text)
    assert spans, "the German model found nothing"
    for span in spans:
        assert isinstance(span, TaggedSpan)
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == text[span.start : span.end].strip()
        assert 0.0 < span.prob <= 1.0
    found = _spans(text, tagger)
    assert found.get("Hamburg") == "LOC"
    assert found.get("John Kerry") == "PER"


def test_english_sentence_finds_place_and_person():
    tagger = ToponymTagger.load("en")
    text = "Secretary of State John Kerry arrived in Hamburg on Tuesday, officials said."
    found = _spans(text, tagger)
    assert found.get("Hamburg") == "LOC"
    assert found.get("John Kerry") == "PER"
    assert "Kerry" not in {k for k, v in found.items() if v == "LOC"}


def test_load_is_cached_and_rejects_unknown_language():
    assert ToponymTagger.load("en") is ToponymTagger.load("en")
    with pytest.raises(ValueError):
        ToponymTagger.load("fr")


def test_missing_model_raises_placeline_error(tmp_path):
    with pytest.raises(TaggerModelMissing):
        ToponymTagger.load("de", model_dir=tmp_path)


def test_tokenizer_and_sentences_keep_offsets():
    text = "Dr. Smith flew from the U.S. to Nordsyrien.\nKerry's plane left #Hamburg! Then it rained."
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert "U.S." in [t.text for t in tokens]
    assert "'s" in [t.text for t in tokens]
    sentences = split_sentences(text)
    firsts = [sentence[0].text for sentence in sentences]
    assert firsts == ["Dr", "Kerry", "Then"]


def test_features_mark_gazetteer_names_and_inflection():
    names = NameIndex({"Frankfurt am Main", "Syrien", "Aleppo"})
    words = ["Von", "Frankfurt", "am", "Main", "nach", "Syriens", "Ost-Aleppo"]
    features = sentence_features(words, "de", names)
    assert "gazB3" in features[1] and "gazI" in features[3]
    assert "gazinfl=s" in features[5]
    assert "hyphLgaz" in features[6] and "dirgaz" in features[6]
    assert "gazB1" not in features[0]


def test_weak_person_labels_in_place_only_gold():
    train = _train_module()
    text = "Gov. Rick Perry visited Austin. Later Perry said Austin was fine."
    austin = [i for i in range(len(text)) if text.startswith("Austin", i)]
    item = train.LabelledText(text, tuple((i, i + 6, "LOC") for i in austin))
    sequences, misaligned = train.to_sequences([item], weak_persons=True)
    labelled = {
        (w, label) for s in sequences for w, label in zip(s.words, s.labels, strict=True)
    }
    assert misaligned == 0
    assert ("Rick", "B-PER") in labelled and ("Perry", "I-PER") in labelled
    assert ("Perry", "B-PER") in labelled  # the later bare surname
    assert ("Austin", "B-LOC") in labelled
    assert ("Gov", "O") in labelled


def test_training_script_trains_a_working_model(tmp_path):
    train = _train_module()
    places = ["Hamburg", "Berlin", "Bremen", "Kiel", "Dresden", "Leipzig"]
    people = ["Anna Schmidt", "Peter Meier", "Olaf Weber", "Eva Braun"]
    corpus = []
    for i, place in enumerate(places * 4):
        person = people[i % len(people)]
        text = f"{person} wohnt in {place} ."
        p_start = len(person) + len(" wohnt in ")
        corpus.append(train.LabelledText(
            text, ((0, len(person), "PER"), (p_start, p_start + len(place), "LOC"))
        ))
    sequences, misaligned = train.to_sequences(corpus)
    assert misaligned == 0 and len(sequences) == len(corpus)
    names = NameIndex({"Hamburg", "Berlin"})
    names.write(tmp_path / NAMES_FILE)
    train.train(sequences, model_path("de", tmp_path), lang="de", names=names, max_iterations=40)
    tagger = ToponymTagger.load("de", model_dir=tmp_path)
    text = "Peter Meier wohnt in Kiel ."
    assert _spans(text, tagger) == {"Peter Meier": "PER", "Kiel": "LOC"}


def test_annotate_scores_spans_the_crf_did_not_pick():
    tagger = ToponymTagger.load("en")
    text = "Secretary of State John Kerry arrived in Hamburg on Tuesday, officials said."
    tagged = tagger.annotate(text)
    assert list(tagged.spans) == tagger.tag(text)
    kerry = text.index("Kerry")
    hamburg = text.index("Hamburg")
    assert tagged.probability(kerry, kerry + 5, "PER") > 0.5
    assert tagged.probability(kerry, kerry + 5, "LOC") < 0.2
    assert tagged.probability(hamburg, hamburg + 7, "LOC") > 0.5
    assert tagged.probability(len(text), len(text), "LOC") == 0.0


def test_name_index_keeps_tiers_and_small_places_apart(tmp_path):
    names = NameIndex({"Syrien": "C", "Hessen": "A", "Aleppo": "L", "Marburg": "M"},
                      extra={"Kleinkleckersdorf": "S", "Marburg": "S"})
    assert "Marburg" not in names.extra  # a main name is never also an extra name
    names.write(tmp_path / NAMES_FILE)
    again = NameIndex.read(tmp_path / NAMES_FILE)
    assert again.tiers == names.tiers and again.extra == {"Kleinkleckersdorf": "S"}
    assert "Kleinkleckersdorf" not in again  # small places give no main-name features
    words = ["Von", "Kleinkleckersdorf", "nach", "Hessen", "und", "Aleppo", "Berg"]
    features = sentence_features(words, "de", again)
    assert "gx=S" in features[1] and not any(f.startswith("gazB") for f in features[1])
    assert {"gazB1", "gt=A"} <= set(features[3])
    assert "gt=L" in features[5]
    assert "gx=S" not in features[6] and "gazB1" not in features[6]


def test_name_index_reads_the_old_untiered_format(tmp_path):
    import gzip

    with gzip.open(tmp_path / NAMES_FILE, "wt", encoding="utf-8") as handle:
        handle.write("Hamburg\nFrankfurt am Main\n")
    names = NameIndex.read(tmp_path / NAMES_FILE)
    assert names.names == {"Hamburg", "Frankfurt am Main"} and not names.extra
    assert names.tier("Hamburg") == ""
    features = sentence_features(["in", "Hamburg"], "de", names)
    assert "gazB1" in features[1] and not any(f.startswith("gt=") for f in features[1])


def test_marginal_loc_spans_add_places_the_best_labelling_left_out():
    from placeline.places import _marginal_loc_spans
    from placeline.places.tagger import TaggedText

    text = "Er wohnt in Bad Wimpfen , nahe dem kleinen Ort bei Karl Meier ."
    tokens = tokenize(text)
    loc = {"Bad": 0.7, "Wimpfen": 0.6, ",": 0.5, "kleinen": 0.9, "Karl": 0.5}
    marginals = tuple({"LOC": loc.get(t.text, 0.01), "PER": 0.0} for t in tokens)
    karl = text.index("Karl Meier")
    person = TaggedSpan(karl, karl + len("Karl Meier"), "PER", 0.5)
    tagged = TaggedText(text, (person,), tuple(t.start for t in tokens),
                        tuple(t.end for t in tokens), marginals)
    spans = _marginal_loc_spans(tagged, 0.4)
    # The capitalised run without its trailing comma; not the lowercase word, not a token
    # the best labelling already gave to a person.
    assert [(text[s.start : s.end], s.label, s.prob) for s in spans] == [
        ("Bad Wimpfen", "LOC", 0.6)
    ]
    assert _marginal_loc_spans(tagged, 0.65) == [
        TaggedSpan(text.index("Bad"), text.index("Bad") + 3, "LOC", 0.7)
    ]
    assert _marginal_loc_spans(tagged, 1.0) == []

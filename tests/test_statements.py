"""Statements and events on small hand-built texts, German and English."""

from __future__ import annotations

import datetime as dt

from placeline.model import Document, Mention, Place
from placeline.timeline import build_timeline


def _timeline(text: str, *, lang: str = "de", places: tuple[Place, ...] = ()):
    document = Document(
        id="t",
        text=text,
        lang=lang,
        published=dt.date(2016, 12, 8),
        published_granularity="day",
        published_source="user",
    )
    return build_timeline(document, places=places)


def _place(text: str, place_id: str, name: str, kind: str = "city") -> Place:
    mentions = []
    start = text.find(name)
    while start >= 0:
        mentions.append(Mention(start, start + len(name), name))
        start = text.find(name, start + 1)
    return Place(place_id, name, "XX", 0.0, 0.0, kind, 1.0, tuple(mentions))


def _statements(result):
    return [e for e in result.events if e.kind == "statement"]


def test_direct_quote_with_description_speaker_and_place():
    text = (
        "Der russische Vize-Außenminister Sergej Rybakow äußerte sich: „Wir stehen vor einer "
        "Verständigung“, sagte der Politiker in Moskau."
    )
    [statement] = _statements(_timeline(text, places=(_place(text, "MOW", "Moskau"),)))
    assert statement.speaker.name == "Sergej Rybakow"
    assert statement.speaker.role == "Vize-Außenminister"
    assert statement.quote.text == "Wir stehen vor einer Verständigung"
    assert statement.said_at == "MOW" and not statement.indirect


def test_surname_resolves_to_full_name_and_medium_is_kept():
    text = (
        "Putin hat Einfluss auf das Regime von Baschar al-Assad. »Eine Waffenruhe gibt es "
        "nicht«, sagte Assad in einem Interview mit der Tageszeitung »al-Watan«."
    )
    [statement] = _statements(_timeline(text))
    assert statement.speaker.name == "Baschar al-Assad"
    assert statement.medium == "Interview mit der Tageszeitung al-Watan"


def test_konjunktiv_indirect_speech_with_organisation_speaker():
    text = (
        "Der Stadtrat von Idlib habe deutlich gemacht, dass man keine Flüchtlinge aufnehmen könne."
    )
    [statement] = _statements(_timeline(text))
    assert statement.speaker.name == "Stadtrat von Idlib"
    assert statement.quote.text == "dass man keine Flüchtlinge aufnehmen könne"
    assert statement.indirect


def test_pronoun_speaker_refers_to_the_last_person():
    text = (
        "Der Diplomat Jan Egeland kam nach Genf. Er warf der Regierung vor, die Hilfe zu "
        "blockieren, weil sie die Stadt aushungern wolle."
    )
    [statement] = _statements(_timeline(text))
    assert statement.speaker.name == "Jan Egeland" and statement.indirect


def test_english_said_that_and_inverted_said():
    text = (
        'Mayor John Smith said that the bridge would reopen. "We are working hard," Smith '
        "added. Officials said the work was slow."
    )
    statements = _statements(_timeline(text, lang="en"))
    assert [(s.speaker.name, s.indirect) for s in statements] == [
        ("John Smith", True),
        ("John Smith", False),
    ]
    assert statements[0].quote.text == "that the bridge would reopen"
    assert statements[0].speaker.role == "Mayor"


def test_quotes_without_a_speech_cue_are_no_statements():
    text = (
        'Die Zeitung "al-Watan" berichtete nicht. Die "Terroristen" seien schuld, hieß es '
        "überall. 'Hello' is a word."
    )
    assert _statements(_timeline(text)) == []


def test_events_dated_undated_and_deduplicated():
    text = (
        "Die Lage in Aleppo bleibt angespannt.\n\n"
        "Assad verweigert Uno Zugang nach Aleppo\n\n"
        "Am Mittwoch hatten die Regierungschefs eine Feuerpause in Aleppo gefordert. "
        "Russische Flugzeuge fliegen täglich Angriffe auf die Stadt. "
        "Das Regime, das der Uno den Zugang verweigert, schweigt. "
        "Wenn Kerry und Lawrow sich einigen würden, könnte die Waffenruhe beginnen."
    )
    result = _timeline(text, places=(_place(text, "ALP", "Aleppo"),))
    events = [e for e in result.events if e.kind == "event"]
    assert len(events) == 3  # the refusal told twice is one event; the conditional none
    refusal = next(e for e in events if "verweigert" in e.evidence.text)
    demand = next(e for e in events if "gefordert" in e.evidence.text)
    strikes = next(e for e in events if "Angriffe" in e.evidence.text)
    assert refusal.date is None and refusal.places == ("ALP",) and "Uno" in refusal.actors
    assert demand.date.value == "2016-12-07" and demand.places == ("ALP",)
    assert strikes.date is None  # undated stays undated, never the publication date
    assert strikes.places == ("ALP",)  # "die Stadt" points back to Aleppo


def test_lead_in_present_tense_happens_on_the_publication_day():
    text = (
        "In Hamburg beraten Sergej Lawrow und John Kerry über Syrien. Kerry sagte, er sei "
        "hoffnungsvoll.\n\nKerry und Lawrow beraten weiter."
    )
    events = [e for e in _timeline(text).events if e.kind == "event"]
    assert events[0].date.value == "2016-12-08" and events[0].date.rule == "lead-present"
    assert events[0].actors == ("Sergej Lawrow", "John Kerry")
    assert events[-1].date is None  # outside the lead: no date

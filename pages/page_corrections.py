"""Corrections: fix places and events. Every fix is saved at once, marked as edited on the map,
the timeline and in the lists, listed with when it was made, and can be undone."""

from __future__ import annotations

import streamlit as st

from placeline.corrections import (
    AddEvent,
    AddPlace,
    ChooseCandidate,
    Correction,
    EventRef,
    FixEvent,
    HideEvent,
    MergeEvents,
    MovePlace,
    PlaceRef,
    RemovePlace,
    document_hash,
)
from placeline.errors import PlacelineError
from placeline.model import EVENT_KINDS, Candidate, Event, Span, Speaker
from placeline.places import OfflineGeocoder
from placeline.project import (
    EDITED_MARK,
    article_label,
    candidates_from_locations,
    date_granularity,
    describe_correction,
    sentence_bounds,
    span_in_sentence,
)
from placeline.render.i18n import kind_labels, place_kind_labels, t
from ui.common import (
    analyses,
    corrections_of,
    gazetteer,
    md_escape,
    save_correction,
    show_error,
    store,
    ui_lang,
)

SAVED = "correction_saved"

lang = ui_lang()
state = st.session_state
st.title(t("page_corrections", lang))
loaded = analyses()
if not loaded:
    st.info(t("no_articles", lang))
    st.stop()
if state.get(SAVED):
    st.success(state.pop(SAVED))

by_id = {a.document.id: a for a in loaded}
doc_id = st.selectbox(t("article", lang), list(by_id), format_func=lambda d: article_label(by_id[d]),
                      key="corr_article") if len(loaded) > 1 else loaded[0].document.id
analysis = by_id[doc_id]
text = analysis.document.text
doc_hash = document_hash(text)
labels = kind_labels(lang)
place_labels = place_kind_labels(lang)
sentences = sentence_bounds(text)
places = {p.id: p for p in analysis.places}


def save(make_correction) -> None:
    """Build the correction (its checks raise InputError for bad input), save it, rerun so
    every view shows the corrected analysis."""
    try:
        correction: Correction = make_correction()
    except PlacelineError as exc:
        show_error(exc)
        return
    save_correction(correction)
    state[SAVED] = t("correction_saved", lang, what=describe_correction(correction, lang))
    st.rerun()


def mark(edited: bool) -> str:
    return f"{EDITED_MARK} " if edited else ""


def context(span: Span, width: int = 50) -> str:
    before = text[max(0, span.start - width):span.start]
    after = text[span.end:span.end + width]
    return " ".join(f"…{before}[{span.text}]{after}…".split())


def candidate_label(candidate: Candidate | None) -> str:
    if candidate is None:
        return t("coordinates_by_hand", lang)
    kind = place_labels.get(candidate.kind, candidate.kind)
    population = f" · {candidate.population:,}" if candidate.population else ""
    return f"{candidate.name} ({candidate.country or '–'}, {kind}) · {candidate.id}{population}"


def search_candidates(query: str) -> list[Candidate]:
    if not query.strip():
        return []
    return candidates_from_locations(
        OfflineGeocoder(gazetteer()).geocode(query, exactly_one=False)
    )


def sentence_label(index: int) -> str:
    start, end = sentences[index]
    sentence = " ".join(text[start:end].split())
    return f"{index + 1}. {sentence[:110]}{'…' if len(sentence) > 110 else ''}"


def place_refs(place_ids: list[str]) -> tuple[PlaceRef, ...]:
    refs = []
    for place_id in place_ids:
        place = analysis.place_by_id(place_id)
        first = place.mentions[0] if place and place.mentions else None
        refs.append(PlaceRef(mention=Span(first.start, first.end, first.text) if first else None,
                             place_id=place_id))
    return tuple(refs)


def event_label(event: Event) -> str:
    date = event.date.value if event.date and event.date.value else t("undated", lang)
    hidden = f" ({t('hidden', lang)})" if event.hidden else ""
    return f"{mark(event.edited)}{date} · {labels[event.kind]} · {event.summary[:80]}{hidden}"


place_tab, add_place_tab, event_tab, add_event_tab, history_tab = st.tabs([
    t("fix_places", lang), t("add_place", lang), t("fix_events", lang), t("add_event", lang),
    t("history", lang),
])

with place_tab:
    if not places:
        st.info(t("no_places", lang))
    else:
        place_id = st.selectbox(
            t("place", lang), list(places), key="corr_place",
            format_func=lambda pid: f"{mark(places[pid].edited)}{places[pid].name} "
            f"({places[pid].country or '–'}) · {len(places[pid].mentions)}×",
        )
        place = places[place_id]
        st.caption(t("place_now", lang, id=place.id, lat=f"{place.lat:.4f}",
                     lon=f"{place.lon:.4f}", kind=place_labels.get(place.kind, place.kind),
                     confidence=f"{place.confidence:.2f}", source=place.source))
        mention_index = st.selectbox(
            t("mention", lang), range(len(place.mentions)), key=f"corr_mention_{place.id}",
            format_func=lambda i: context(place.mentions[i]),
        )
        chosen = place.mentions[mention_index]
        mention = Span(chosen.start, chosen.end, chosen.text)
        every = st.radio(
            t("scope", lang), [False, True], horizontal=True, key="corr_scope",
            format_func=lambda all_: t("scope_all", lang, name=mention.text) if all_
            else t("scope_one", lang),
        )

        st.markdown(f"**{t('choose_candidate', lang)}**")
        query = st.text_input(t("search_gazetteer", lang), key="corr_search",
                              help=t("search_gazetteer_help", lang))
        offered = {c.id: c for c in (*place.alternatives, *search_candidates(query))
                   if c.id != place.id}
        if offered:
            candidate_id = st.selectbox(t("candidate", lang), list(offered),
                                        key=f"corr_candidate_{place.id}_{query}",
                                        format_func=lambda cid: candidate_label(offered[cid]))
            if st.button(t("apply_candidate", lang), key="apply_candidate"):
                save(lambda: ChooseCandidate(doc_hash=doc_hash, mention=mention,
                                             candidate=offered[candidate_id], all_mentions=every))
        else:
            st.caption(t("no_candidates", lang))

        st.markdown(f"**{t('move_place', lang)}**")
        lat_column, lon_column, move_column = st.columns([2, 2, 1])
        lat = lat_column.number_input(t("lat", lang), -90.0, 90.0, float(place.lat), format="%.5f",
                                      key=f"corr_lat_{place.id}")
        lon = lon_column.number_input(t("lon", lang), -180.0, 180.0, float(place.lon),
                                      format="%.5f", key=f"corr_lon_{place.id}")
        if move_column.button(t("move", lang), key="move_place"):
            save(lambda: MovePlace(doc_hash=doc_hash, mention=mention, lat=lat, lon=lon))

        st.markdown(f"**{t('remove_place', lang)}**")
        if st.button(t("remove_mention", lang) if not every else t("remove_whole_place", lang),
                     key="remove_place"):
            save(lambda: RemovePlace(doc_hash=doc_hash, mention=mention, only_mention=not every))

with add_place_tab:
    st.caption(t("add_place_help", lang))
    sentence_index = st.selectbox(t("sentence", lang), range(len(sentences)),
                                  format_func=sentence_label, key="add_place_sentence")
    words = st.text_input(t("exact_words", lang), key="add_place_words")
    found = search_candidates(words)
    # Keyed on the words: a new search offers its best hit first, not the last choice.
    candidate_choice = st.selectbox(t("candidate", lang), [*range(len(found)), None],
                                    key=f"add_place_candidate_{words}",
                                    format_func=lambda i: candidate_label(
                                        None if i is None else found[i]))
    if candidate_choice is None:
        lat_column, lon_column = st.columns(2)
        add_lat = lat_column.number_input(t("lat", lang), -90.0, 90.0, 0.0, format="%.5f",
                                          key="add_place_lat")
        add_lon = lon_column.number_input(t("lon", lang), -180.0, 180.0, 0.0, format="%.5f",
                                          key="add_place_lon")

    def new_place() -> AddPlace:
        span = span_in_sentence(text, sentences[sentence_index], words)
        if candidate_choice is None:
            candidate = Candidate(id=f"manual:{span.text}", name=span.text, country="",
                                  lat=add_lat, lon=add_lon, kind="other", source="correction")
        else:
            candidate = found[candidate_choice]
        return AddPlace(doc_hash=doc_hash, mention=span, candidate=candidate)

    if st.button(t("add_place", lang), key="add_place"):
        save(new_place)

with event_tab:
    events = {e.id: e for e in analysis.events}
    if not events:
        st.info(t("no_events", lang))
    else:
        event_id = st.selectbox(t("event", lang), list(events), key="corr_event",
                                format_func=lambda eid: event_label(events[eid]))
        event = events[event_id]
        st.caption(t("evidence", lang) + ": " + md_escape(context(event.evidence, 0)))
        with st.form(f"fix_event_{event.id}"):
            date_now = event.date.value if event.date and event.date.value else ""
            date = st.text_input(t("date_iso", lang), date_now, key=f"fix_date_{event.id}")
            speaker_column, role_column = st.columns(2)
            speaker_now = event.speaker.name if event.speaker else ""
            role_now = (event.speaker.role or "") if event.speaker else ""
            speaker = speaker_column.text_input(t("speaker", lang), speaker_now,
                                                key=f"fix_speaker_{event.id}")
            role = role_column.text_input(t("role", lang), role_now, key=f"fix_role_{event.id}")
            kind = st.selectbox(t("kind", lang), EVENT_KINDS, EVENT_KINDS.index(event.kind),
                                format_func=labels.get, key=f"fix_kind_{event.id}")
            summary = st.text_input(t("summary", lang), event.summary,
                                    key=f"fix_summary_{event.id}")
            chosen_places = st.multiselect(
                t("places", lang), list(places),
                [p for p in event.places if p in places], key=f"fix_places_{event.id}",
                format_func=lambda pid: places[pid].name,
            )
            submitted = st.form_submit_button(t("save_fix", lang))
        if submitted:
            speaker_changed = (speaker.strip(), role.strip()) != (speaker_now, role_now)
            changes = {
                "date": date.strip() if date.strip() and date.strip() != date_now else None,
                "granularity": date_granularity(date) if date.strip() else "day",
                "speaker": Speaker(speaker.strip(), role.strip() or None)
                if speaker_changed and speaker.strip() else None,
                "event_kind": kind if kind != event.kind else None,
                "summary": summary.strip() if summary.strip() != event.summary else None,
                "places": place_refs(chosen_places)
                if tuple(chosen_places) != tuple(p for p in event.places if p in places) else None,
                "clear": tuple(name for name, emptied in (
                    ("date", not date.strip() and bool(date_now)),
                    ("speaker", speaker_changed and not speaker.strip()),
                ) if emptied),
            }
            if not any(v for k, v in changes.items() if k != "granularity"):
                st.info(t("nothing_changed", lang))
            else:
                save(lambda: FixEvent(doc_hash=doc_hash, event=EventRef.of(event), **changes))
        if not event.hidden and st.button(t("hide_event", lang), key="hide_event"):
            save(lambda: HideEvent(doc_hash=doc_hash, event=EventRef.of(event)))
        others = [e for e in analysis.events if e.id != event.id and not e.hidden]
        duplicates = st.multiselect(t("duplicates", lang), [e.id for e in others],
                                    key=f"merge_{event.id}",
                                    format_func=lambda eid: event_label(events[eid]))
        if duplicates and st.button(t("merge_events", lang), key="merge_events"):
            save(lambda: MergeEvents(doc_hash=doc_hash, keep=EventRef.of(event),
                                     duplicates=tuple(EventRef.of(events[e]) for e in duplicates)))

with add_event_tab:
    with st.form("add_event_form"):
        evidence_index = st.selectbox(t("sentence", lang), range(len(sentences)),
                                      format_func=sentence_label, key="add_event_sentence")
        evidence_words = st.text_input(t("evidence_words", lang), key="add_event_words")
        new_kind = st.selectbox(t("kind", lang), EVENT_KINDS, format_func=labels.get,
                                key="add_event_kind")
        new_summary = st.text_input(t("summary", lang), key="add_event_summary")
        new_date = st.text_input(t("date_iso", lang), key="add_event_date")
        speaker_column, role_column = st.columns(2)
        new_speaker = speaker_column.text_input(t("speaker", lang), key="add_event_speaker")
        new_role = role_column.text_input(t("role", lang), key="add_event_role")
        new_places = st.multiselect(t("places", lang), list(places), key="add_event_places",
                                    format_func=lambda pid: places[pid].name)
        add_submitted = st.form_submit_button(t("add_event", lang))
    if add_submitted:

        def new_event() -> AddEvent:
            sentence = sentences[evidence_index]
            if evidence_words.strip():
                evidence = span_in_sentence(text, sentence, evidence_words)
            else:
                evidence = Span(sentence[0], sentence[1], text[sentence[0]:sentence[1]])
            return AddEvent(
                doc_hash=doc_hash, evidence=evidence, event_kind=new_kind,
                summary=new_summary.strip(), date=new_date.strip() or None,
                granularity=date_granularity(new_date) if new_date.strip() else "day",
                speaker=Speaker(new_speaker.strip(), new_role.strip() or None)
                if new_speaker.strip() else None,
                places=place_refs(new_places),
            )

        save(new_event)

with history_tab:
    made = corrections_of(doc_id, include_undone=True)
    if not made:
        st.info(t("no_corrections", lang))
    for correction in reversed(made):
        when, what, action = st.columns([2, 6, 1])
        when.markdown(correction.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"))
        undone = correction.undone_at is not None
        status = f" · *{t('undone', lang)}*" if undone else ""
        what.markdown(md_escape(describe_correction(correction, lang)) + status)
        if action.button(t("redo", lang) if undone else t("undo", lang),
                         key=f"{'redo' if undone else 'undo'}_{correction.id}"):
            try:
                if undone:
                    store().redo_correction(correction.id)
                else:
                    store().undo_correction(correction.id)
            except PlacelineError as exc:
                show_error(exc)
            else:
                st.rerun()

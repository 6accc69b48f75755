"""UI strings in German and English. Pages call ``t(key, lang)``; a test checks that every key
used in ``app.py`` and ``pages/`` exists in both languages."""

from __future__ import annotations

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"de": "placeline: Orte und Zeitleiste", "en": "placeline: places and timeline"},
    "language": {"de": "Sprache der Oberfläche", "en": "Interface language"},
    "online_tiles": {"de": "OpenStreetMap-Kacheln (online)", "en": "OpenStreetMap tiles (online)"},
    "online_tiles_help": {
        "de": "Ohne Netz zeigt die Karte Ländergrenzen; mit Netz zusätzlich OpenStreetMap.",
        "en": "Offline the map shows country outlines; online it can add OpenStreetMap.",
    },
    "online_geocoder": {
        "de": "Online-Geocoder für unbekannte Orte (Nominatim)",
        "en": "Online geocoder for unknown places (Nominatim)",
    },
    "online_geocoder_help": {
        "de": "Schickt Ortsnamen, die das eingebaute Ortsverzeichnis nicht kennt, an Nominatim.",
        "en": "Sends place names the built-in gazetteer lacks to Nominatim.",
    },
    "demonyms": {
        "de": "Englische Nationalitätswörter (Russian, Syrian) als Orte",
        "en": "Nationality words (Russian, Syrian) as places",
    },
    "demonyms_help": {
        "de": "Englische Nationalitätswörter wie „Russian officials“ zählen als Nennung des "
        "Landes. Aus: nur wörtlich genannte Orte.",
        "en": "English nationality words such as \"Russian officials\" count as mentions of "
        "the country. Off: literal place names only.",
    },
    "page_explore": {"de": "Erkunden", "en": "Explore"},
    "page_text": {"de": "Text", "en": "Text"},
    "page_sources": {"de": "Quellen", "en": "Sources"},
    "page_present": {"de": "Präsentieren", "en": "Present"},
    "page_export": {"de": "Export", "en": "Export"},
    "articles_loaded": {"de": "{n} Artikel geladen", "en": "{n} article(s) loaded"},
    "no_articles": {
        "de": "Noch kein Artikel: Fügen Sie unter »Quellen« einen Text hinzu.",
        "en": "No article yet: add one on the Sources page.",
    },
    "filters": {"de": "Filter", "en": "Filters"},
    "filter_kind": {"de": "Art", "en": "Kind"},
    "filter_speaker": {"de": "Sprecher", "en": "Speaker"},
    "filter_country": {"de": "Land", "en": "Country"},
    "filter_article": {"de": "Artikel", "en": "Article"},
    "filter_dates": {"de": "Zeitraum", "en": "Date range"},
    "kind_event": {"de": "Ereignis", "en": "Event"},
    "kind_statement": {"de": "Aussage", "en": "Statement"},
    "map": {"de": "Karte", "en": "Map"},
    "timeline": {"de": "Zeitleiste", "en": "Timeline"},
    "date": {"de": "Datum", "en": "Date"},
    "kind": {"de": "Art", "en": "Kind"},
    "speaker": {"de": "Sprecher", "en": "Speaker"},
    "summary": {"de": "Zusammenfassung", "en": "Summary"},
    "undated": {"de": "ohne Datum", "en": "undated"},
    "quote": {"de": "Zitat", "en": "Quote"},
    "article": {"de": "Artikel", "en": "Article"},
    "places": {"de": "Orte", "en": "Places"},
    "place": {"de": "Ort", "en": "Place"},
    "country": {"de": "Land", "en": "Country"},
    "mentions": {"de": "Erwähnungen", "en": "Mentions"},
    "confidence": {"de": "Sicherheit", "en": "Confidence"},
    "events": {"de": "Ereignisse und Aussagen", "en": "Events and statements"},
    "event_count": {"de": "{n} von {total} Ereignissen", "en": "{n} of {total} events"},
    "selected_place": {"de": "Ausgewählter Ort: {name}", "en": "Selected place: {name}"},
    "clear_place": {"de": "Ortsauswahl aufheben", "en": "Clear place"},
    "select_place": {"de": "Ort auswählen", "en": "Select a place"},
    "select_event": {"de": "Ereignis auswählen", "en": "Select an event"},
    "none": {"de": "– keins –", "en": "– none –"},
    "sentences_about": {"de": "Sätze über {name}", "en": "Sentences about {name}"},
    "no_places": {
        "de": "Keine Orte gefunden.",
        "en": "No places found.",
    },
    "no_events": {"de": "Keine Ereignisse für diese Auswahl.", "en": "No events for this selection."},
    "said_by": {"de": "sagte {speaker}", "en": "said {speaker}"},
    "legend": {"de": "Legende", "en": "Legend"},
    "hl_place": {"de": "Ort", "en": "Place"},
    "hl_date": {"de": "Datum", "en": "Date"},
    "hl_speaker": {"de": "Sprecher", "en": "Speaker"},
    "hl_quote": {"de": "Zitat", "en": "Quote"},
    "hl_unresolved": {"de": "Ort ohne Koordinaten", "en": "Unresolved place"},
    "notices": {"de": "Hinweise", "en": "Notices"},
    "add_text": {"de": "Text einfügen", "en": "Paste text"},
    "add_file": {"de": "Datei hochladen", "en": "Upload a file"},
    "add_url": {"de": "Von URL laden", "en": "Load from URL"},
    "article_text": {"de": "Artikeltext", "en": "Article text"},
    "title": {"de": "Titel (optional)", "en": "Title (optional)"},
    "article_lang": {"de": "Sprache des Artikels", "en": "Article language"},
    "lang_auto": {"de": "automatisch", "en": "automatic"},
    "published": {"de": "Veröffentlicht am (JJJJ-MM-TT)", "en": "Published (YYYY-MM-DD)"},
    "add": {"de": "Hinzufügen", "en": "Add"},
    "fetch": {"de": "Laden", "en": "Fetch"},
    "remove": {"de": "Entfernen", "en": "Remove"},
    "added": {"de": "Artikel hinzugefügt: {title}", "en": "Article added: {title}"},
    "loaded_articles": {"de": "Geladene Artikel", "en": "Loaded articles"},
    "reset_seed": {"de": "Beispielartikel wiederherstellen", "en": "Restore the sample article"},
    "feature_missing": {
        "de": "Diese Funktion ist in dieser Installation noch nicht verfügbar.",
        "en": "This feature is not available in this installation yet.",
    },
    "previous": {"de": "◀ Zurück", "en": "◀ Previous"},
    "next": {"de": "Weiter ▶", "en": "Next ▶"},
    "progress": {"de": "Ereignis {i} von {n}", "en": "Event {i} of {n}"},
    "present_hint": {
        "de": "Mit den Knöpfen oder den Pfeiltasten durch die Ereignisse blättern.",
        "en": "Step through the events with the buttons or the arrow keys.",
    },
    "download": {"de": "{fmt} herunterladen", "en": "Download {fmt}"},
    "export_intro": {
        "de": "Exporte aller geladenen Artikel; die HTML-Geschichte funktioniert ohne Netz.",
        "en": "Exports of all loaded articles; the HTML story works without a network.",
    },
    "error": {"de": "Fehler: {message}", "en": "Error: {message}"},
    "page_corrections": {"de": "Korrigieren", "en": "Correct"},
    "project": {"de": "Projekt", "en": "Project"},
    "new_project": {"de": "Neues Projekt", "en": "New project"},
    "project_name": {"de": "Name des Projekts", "en": "Project name"},
    "create_project": {"de": "Anlegen", "en": "Create"},
    "project_saved": {
        "de": "Artikel und Korrekturen von »{name}« werden sofort gespeichert.",
        "en": "The articles and corrections of “{name}” are saved at once.",
    },
    "store_unusable": {
        "de": "Die Projektdatenbank lässt sich nicht öffnen und bleibt unverändert: {message}",
        "en": "The project database cannot be opened and is left untouched: {message}",
    },
    "session_only": {
        "de": "Sie arbeiten in einem vorübergehenden Projekt: Was Sie jetzt hinzufügen oder "
              "korrigieren, ist nach dem Schließen verloren. Exportieren Sie das Projekt unter "
              "»Quellen«, um es zu behalten.",
        "en": "You are working in a temporary project: what you add or correct now is lost when "
              "you close the app. Export the project on the Sources page to keep it.",
    },
    "sources_intro": {
        "de": "Artikel des Projekts »{name}«; sie bleiben gespeichert.",
        "en": "Articles of the project “{name}”; they stay saved.",
    },
    "already_added": {
        "de": "Dieser Artikel ist schon im Projekt.",
        "en": "This article is already in the project.",
    },
    "added_on": {"de": "hinzugefügt {when}", "en": "added {when}"},
    "share_project": {"de": "Projekt teilen", "en": "Share the project"},
    "share_project_help": {
        "de": "Eine JSON-Datei mit allen Artikeln, Angaben und Korrekturen, zum Weitergeben an "
              "Kolleginnen und Kollegen.",
        "en": "One JSON file with every article, its metadata and the corrections, to give to "
              "a colleague.",
    },
    "export_project": {"de": "Projekt exportieren (JSON)", "en": "Export the project (JSON)"},
    "import_project": {"de": "Projekt importieren (JSON)", "en": "Import a project (JSON)"},
    "import_as": {
        "de": "Importieren als (leer: Name aus der Datei)",
        "en": "Import as (empty: the name in the file)",
    },
    "import": {"de": "Importieren", "en": "Import"},
    "import_nothing": {"de": "Bitte zuerst eine Datei wählen.", "en": "Choose a file first."},
    "import_not_json": {
        "de": "Die Datei ist kein JSON: {message}",
        "en": "The file is not JSON: {message}",
    },
    "correction_problem": {
        "de": "Eine Korrektur passt nicht mehr zum Text: {message}",
        "en": "A correction no longer fits the text: {message}",
    },
    "correction_saved": {"de": "Gespeichert: {what}", "en": "Saved: {what}"},
    "fix_places": {"de": "Orte korrigieren", "en": "Fix places"},
    "add_place": {"de": "Fehlenden Ort hinzufügen", "en": "Add a missed place"},
    "fix_events": {"de": "Ereignisse korrigieren", "en": "Fix events"},
    "add_event": {"de": "Ereignis hinzufügen", "en": "Add an event"},
    "history": {"de": "Verlauf", "en": "History"},
    "place_now": {
        "de": "Jetzt: {id} · {lat}, {lon} · {kind} · Sicherheit {confidence} · aus {source}",
        "en": "Now: {id} · {lat}, {lon} · {kind} · confidence {confidence} · from {source}",
    },
    "mention": {"de": "Erwähnung", "en": "Mention"},
    "scope": {"de": "Gilt für", "en": "Applies to"},
    "scope_one": {"de": "nur diese Erwähnung", "en": "this mention only"},
    "scope_all": {"de": "jede Erwähnung von »{name}«", "en": "every mention of “{name}”"},
    "choose_candidate": {"de": "Anderen Ort wählen", "en": "Choose another place"},
    "search_gazetteer": {"de": "Im Ortsverzeichnis suchen", "en": "Search the gazetteer"},
    "search_gazetteer_help": {
        "de": "Den Namen genau so eingeben, wie er im Verzeichnis steht (z. B. Aleppo, Halab).",
        "en": "Type the name as the gazetteer has it (e.g. Aleppo, Halab).",
    },
    "candidate": {"de": "Kandidat", "en": "Candidate"},
    "no_candidates": {
        "de": "Keine anderen Kandidaten: Suchen Sie im Ortsverzeichnis.",
        "en": "No other candidates: search the gazetteer.",
    },
    "apply_candidate": {"de": "Diesen Ort verwenden", "en": "Use this place"},
    "coordinates_by_hand": {"de": "Koordinaten selbst eingeben", "en": "Type coordinates"},
    "move_place": {"de": "Ort verschieben", "en": "Move the place"},
    "lat": {"de": "Breite", "en": "Latitude"},
    "lon": {"de": "Länge", "en": "Longitude"},
    "move": {"de": "Verschieben", "en": "Move"},
    "remove_place": {"de": "Falschen Ort entfernen", "en": "Remove a false place"},
    "remove_mention": {"de": "Diese Erwähnung entfernen", "en": "Remove this mention"},
    "remove_whole_place": {"de": "Den ganzen Ort entfernen", "en": "Remove the whole place"},
    "add_place_help": {
        "de": "Satz wählen und die Wörter genau so eintippen, wie sie im Text stehen.",
        "en": "Pick the sentence and type the words exactly as they stand in the text.",
    },
    "sentence": {"de": "Satz", "en": "Sentence"},
    "exact_words": {"de": "Wörter aus dem Satz", "en": "Words from the sentence"},
    "event": {"de": "Ereignis", "en": "Event"},
    "evidence": {"de": "Beleg im Text", "en": "Evidence in the text"},
    "evidence_words": {
        "de": "Beleg: Wörter aus dem Satz (leer: der ganze Satz)",
        "en": "Evidence: words from the sentence (empty: the whole sentence)",
    },
    "date_iso": {
        "de": "Datum (JJJJ-MM-TT, JJJJ-MM oder JJJJ; leer: ohne Datum)",
        "en": "Date (YYYY-MM-DD, YYYY-MM or YYYY; empty: undated)",
    },
    "role": {"de": "Funktion", "en": "Role"},
    "save_fix": {"de": "Korrektur speichern", "en": "Save the fix"},
    "nothing_changed": {"de": "Nichts geändert.", "en": "Nothing changed."},
    "hide_event": {"de": "Ereignis ausblenden", "en": "Hide the event"},
    "hidden": {"de": "ausgeblendet", "en": "hidden"},
    "duplicates": {
        "de": "Doppelte Ereignisse, die in dieses eingehen",
        "en": "Duplicates to merge into this event",
    },
    "merge_events": {"de": "Zusammenführen", "en": "Merge"},
    "no_corrections": {"de": "Noch keine Korrekturen.", "en": "No corrections yet."},
    "undo": {"de": "Rückgängig", "en": "Undo"},
    "redo": {"de": "Wiederholen", "en": "Redo"},
    "undone": {"de": "rückgängig gemacht", "en": "undone"},
    "edited": {"de": "bearbeitet", "en": "edited"},
    "c_choose": {"de": "{text} ist {name} ({id})", "en": "{text} is {name} ({id})"},
    "c_choose_all": {
        "de": "jedes {text} ist {name} ({id})",
        "en": "every {text} is {name} ({id})",
    },
    "c_move": {"de": "{text} verschoben nach {lat}, {lon}", "en": "{text} moved to {lat}, {lon}"},
    "c_remove": {"de": "Ort {text} entfernt", "en": "removed the place {text}"},
    "c_remove_mention": {"de": "Erwähnung {text} entfernt", "en": "removed the mention {text}"},
    "c_add_place": {"de": "{text} als {name} hinzugefügt", "en": "added {text} as {name}"},
    "c_fix": {"de": "{fields} von {text} korrigiert", "en": "fixed {fields} of {text}"},
    "c_hide": {"de": "{text} ausgeblendet", "en": "hid {text}"},
    "c_merge": {
        "de": "{n} doppelte(s) in {text} zusammengeführt",
        "en": "merged {n} duplicate(s) into {text}",
    },
    "c_add_event": {"de": "{text} hinzugefügt", "en": "added {text}"},
}


PLACE_KIND_LABELS = {
    "city": {"de": "Stadt", "en": "City"},
    "country": {"de": "Staat", "en": "Country"},
    "admin": {"de": "Verwaltungsgebiet", "en": "Administrative area"},
    "region": {"de": "Region", "en": "Region"},
    "water": {"de": "Gewässer", "en": "Water"},
    "landmark": {"de": "Bauwerk, Ort", "en": "Landmark"},
    "continent": {"de": "Kontinent", "en": "Continent"},
    "other": {"de": "Sonstiges", "en": "Other"},
}


def place_kind_labels(lang: str) -> dict[str, str]:
    return {kind: entry.get(lang) or entry["en"] for kind, entry in PLACE_KIND_LABELS.items()}


def t(key: str, lang: str, **values: object) -> str:
    """The string for ``key`` in ``lang`` (English when the language is unknown)."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def kind_labels(lang: str) -> dict[str, str]:
    """Labels the timeline chart shows for kinds and axes."""
    return {
        "event": t("kind_event", lang),
        "statement": t("kind_statement", lang),
        "date": t("date", lang),
        "kind": t("kind", lang),
        "speaker": t("speaker", lang),
        "summary": t("summary", lang),
        "undated": t("undated", lang),
    }


def format_date(value: str | None, lang: str) -> str | None:
    """An ISO date at its granularity ("2016-07-07", "2016-12", "2016") as people write it in
    ``lang`` ("7. Juli 2016", "Dezember 2016"); None stays None, anything else is kept as is."""
    if not value:
        return None
    import datetime as dt

    from babel.dates import format_date as babel_format_date
    from babel.dates import format_skeleton

    parts = value.split("-")
    try:
        if len(parts) == 3:
            return babel_format_date(dt.date.fromisoformat(value), format="long", locale=lang)
        if len(parts) == 2:
            month = dt.date(int(parts[0]), int(parts[1]), 1)
            return format_skeleton("yMMMM", month, locale=lang)
    except ValueError:
        return value
    return value

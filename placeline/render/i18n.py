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

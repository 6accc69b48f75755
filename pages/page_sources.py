"""Sources: add articles to the project by pasting, uploading or fetching; several form one map
and timeline. The project itself can be shared as one JSON file."""

from __future__ import annotations

import json

import streamlit as st

from placeline.errors import InputError, PlacelineError
from placeline.ingest import document_from_text
from placeline.ingest.fetch import fetch_article
from placeline.ingest.files import document_from_upload
from placeline.project import ArticleSource, origin_of, seed_article
from placeline.render.i18n import t
from ui.common import (
    PROJECT,
    add_article,
    md_escape,
    project,
    remove_article,
    settings,
    show_error,
    store,
    stored_articles,
    ui_lang,
)

lang = ui_lang()
state = st.session_state
st.title(t("page_sources", lang))
st.caption(t("sources_intro", lang, name=project()))


def add_and_report(source: ArticleSource) -> None:
    if add_article(source):
        st.success(t("added", lang, title=source.title or source.text[:60]))
    else:
        st.info(t("already_added", lang))


def article_options(prefix: str) -> tuple[str | None, str | None]:
    columns = st.columns(2)
    article_lang = columns[0].selectbox(
        t("article_lang", lang), [None, "de", "en"], key=f"{prefix}_lang",
        format_func=lambda code: t("lang_auto", lang) if code is None else code,
    )
    published = columns[1].text_input(t("published", lang), key=f"{prefix}_published").strip()
    return article_lang, published or None


paste_tab, upload_tab, url_tab = st.tabs([t("add_text", lang), t("add_file", lang),
                                          t("add_url", lang)])
with paste_tab, st.form("paste_form", clear_on_submit=False):
    text = st.text_area(t("article_text", lang), height=220, key="paste_text")
    title = st.text_input(t("title", lang), key="paste_title").strip() or None
    article_lang, published = article_options("paste")
    if st.form_submit_button(t("add", lang)):
        try:
            document_from_text(text, title=title, lang=article_lang, published=published,
                               settings=settings())
            add_and_report(ArticleSource(text=text, title=title, lang=article_lang,
                                      published=published, origin="text",
                                      published_source="user" if published else None))
        except PlacelineError as exc:
            show_error(exc)
with upload_tab, st.form("upload_form"):
    files = st.file_uploader(t("add_file", lang), type=["txt", "md", "html", "htm", "docx", "pdf"],
                             accept_multiple_files=True, key="upload_files")
    article_lang, published = article_options("upload")
    if st.form_submit_button(t("add", lang)):
        for upload in files or []:
            try:
                document = document_from_upload(upload.name, upload.getvalue(),
                                                lang=article_lang, published=published,
                                                settings=settings())
                add_and_report(ArticleSource.from_document(document, origin="upload"))
            except PlacelineError as exc:
                show_error(exc)
with url_tab, st.form("url_form"):
    url = st.text_input("URL", key="url_input").strip()
    article_lang, published = article_options("url")
    if st.form_submit_button(t("fetch", lang)):
        try:
            document = fetch_article(url, lang=article_lang, published=published,
                                     settings=settings())
            add_and_report(ArticleSource.from_document(document, origin="url"))
        except PlacelineError as exc:
            show_error(exc)

st.subheader(t("loaded_articles", lang))
stored = stored_articles()
for index, entry in enumerate(stored):
    document = entry.document
    label, remove = st.columns([5, 1])
    details = " · ".join(x for x in (
        origin_of(document), document.lang,
        document.published.isoformat() if document.published else None, document.url,
        t("added_on", lang, when=entry.added.astimezone().strftime("%Y-%m-%d %H:%M")),
    ) if x)
    name = md_escape(document.title or document.text.strip()[:80])
    label.markdown(f"**{index + 1}.** {name}  \n{md_escape(details)}")
    if remove.button(t("remove", lang), key=f"remove_{document.id}"):
        try:
            remove_article(document.id)
        except PlacelineError as exc:
            show_error(exc)
        else:
            st.rerun()
if not any(origin_of(entry.document) == "sample" for entry in stored) and st.button(
    t("reset_seed", lang), key="reset_seed"
):
    try:
        add_article(seed_article())
    except PlacelineError as exc:
        show_error(exc)
    else:
        st.rerun()

st.subheader(t("share_project", lang))
st.caption(t("share_project_help", lang))


def project_export_bytes() -> bytes:
    return json.dumps(store().export_project(project()), ensure_ascii=False, indent=1).encode()


st.download_button(
    t("export_project", lang), data=project_export_bytes,
    file_name=f"{project()}.placeline.json", mime="application/json", key="export_project",
)
with st.form("import_form"):
    upload = st.file_uploader(t("import_project", lang), type=["json"], key="import_file")
    import_name = st.text_input(t("import_as", lang), key="import_name").strip() or None
    if st.form_submit_button(t("import", lang)):
        try:
            if upload is None:
                raise InputError(t("import_nothing", lang))
            try:
                data = json.loads(upload.getvalue().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise InputError(t("import_not_json", lang, message=str(exc))) from exc
            imported = store().import_project(data, name=import_name)
        except PlacelineError as exc:
            show_error(exc)
        else:
            state[PROJECT] = imported.name
            st.rerun()

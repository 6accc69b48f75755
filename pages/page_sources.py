"""Sources: add articles by pasting, uploading or fetching; several form one map and timeline."""

from __future__ import annotations

import streamlit as st

from placeline.errors import PlacelineError
from placeline.ingest import document_from_text
from placeline.ingest.fetch import fetch_article
from placeline.ingest.files import document_from_upload
from placeline.project import ArticleSource, seed_article
from placeline.render.i18n import t
from ui.common import ARTICLES, articles, md_escape, settings, show_error, ui_lang

lang = ui_lang()
state = st.session_state
st.title(t("page_sources", lang))


def add_article(source: ArticleSource) -> None:
    if any(known.text == source.text for known in articles()):
        return
    state[ARTICLES] = [*state.get(ARTICLES, []), source.as_dict()]
    st.success(t("added", lang, title=source.title or source.text[:60]))


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
            add_article(ArticleSource(text=text, title=title, lang=article_lang,
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
                add_article(ArticleSource.from_document(document, origin="upload"))
            except PlacelineError as exc:
                show_error(exc)
with url_tab, st.form("url_form"):
    url = st.text_input("URL", key="url_input").strip()
    article_lang, published = article_options("url")
    if st.form_submit_button(t("fetch", lang)):
        try:
            document = fetch_article(url, lang=article_lang, published=published,
                                     settings=settings())
            add_article(ArticleSource.from_document(document, origin="url"))
        except PlacelineError as exc:
            show_error(exc)

st.subheader(t("loaded_articles", lang))
for index, source in enumerate(articles()):
    label, remove = st.columns([5, 1])
    details = " · ".join(x for x in (source.origin, source.lang, source.published, source.url) if x)
    name = md_escape(source.title or source.text.strip()[:80])
    label.markdown(f"**{index + 1}.** {name}  \n{md_escape(details)}")
    if remove.button(t("remove", lang), key=f"remove_{index}"):
        state[ARTICLES] = [a for i, a in enumerate(state[ARTICLES]) if i != index]
        st.rerun()
if st.button(t("reset_seed", lang), key="reset_seed"):
    state[ARTICLES] = [seed_article().as_dict()]
    st.rerun()

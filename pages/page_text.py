"""Text: each article with its places, dates, speakers and quotes highlighted."""

from __future__ import annotations

import streamlit as st

from placeline.project import article_label, text_highlights
from placeline.render.escape import highlight_spans
from placeline.render.i18n import t
from ui.common import analyses, ui_lang

# Colour-blind safe: the kinds differ by background (Okabe-Ito tints) and by line style, so
# they stay apart without colour too.
STYLE = """
<style>
.pl-text { font-size: 1.05rem; line-height: 1.8; max-width: 52rem; }
.pl-text mark { padding: 0 .1em; color: inherit; }
mark.pl-place { background: #cce3f2; border-bottom: 2px solid #0072B2; }
mark.pl-unresolved { background: #e6e6e6; border-bottom: 2px dashed #666; }
mark.pl-date { background: #fde2b3; border-bottom: 2px dotted #E69F00; }
mark.pl-speaker { background: #c6eadc; font-weight: 700; border-bottom: 2px double #009E73; }
mark.pl-quote { background: #f3dbe8; font-style: italic; }
</style>
"""
LEGEND_KEYS = {"place": "hl_place", "unresolved": "hl_unresolved", "date": "hl_date",
               "speaker": "hl_speaker", "quote": "hl_quote"}

lang = ui_lang()
loaded = analyses()
if not loaded:
    st.info(t("no_articles", lang))
    st.stop()

st.html(STYLE)
legend = " ".join(
    f'<mark class="pl-{kind}">{t(key, lang)}</mark>' for kind, key in LEGEND_KEYS.items()
)
st.html(f'<div class="pl-text"><b>{t("legend", lang)}:</b> {legend}</div>')
for analysis in loaded:
    st.subheader(article_label(analysis))
    spans = [(s, e, f"pl-{kind}", title) for s, e, kind, title in text_highlights(analysis)]
    st.html(f'<div class="pl-text">{highlight_spans(analysis.document.text, spans)}</div>')

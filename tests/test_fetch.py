"""fetch_article against a server on 127.0.0.1 started here; no test reaches the internet.

Loopback is allowed only through ``Settings(allow_private_urls=True)`` in the tests that need
it. The SSRF tests use the default settings and fake the resolver (and, where a public-looking
host must still reach the local server, the TCP opener)."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from placeline.errors import FetchError, PlacelineError
from placeline.ingest.fetch import address_refusal, fetch_article
from placeline.settings import Settings

ARTICLE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Gespräche über Aleppo</title>
<meta property="article:published_time" content="2016-12-08T09:30:00+01:00">
<script>document.cookie = "stolen"</script><style>p {color: red}</style></head>
<body><article><h1>Gespräche über Aleppo</h1>
<p>Am Rande des Treffens in Hamburg beraten Lawrow und Kerry über die Lage in Syrien.
<img src=x onerror="alert('xss')"> Die Gespräche sollen am Donnerstag in Genf weitergehen.</p>
<p>Der russische Vize-Außenminister äußerte sich verhalten optimistisch über eine Einigung,
sagte der Politiker in Moskau. Kerry sagte, er sei hoffnungsvoll.</p>
</article></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict] = {}

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        route = self.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        route(self)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the size and timeout tests hang up on purpose; the broken pipe is expected


def _send(handler, status: int, body: bytes = b"", headers: dict | None = None) -> None:
    handler.send_response(status)
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    if "Content-Length" not in (headers or {}):
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _slow(handler) -> None:
    time.sleep(1.5)
    _send(handler, 200, b"late", {"Content-Type": "text/plain"})


def _drip(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    for _ in range(40):
        handler.wfile.write(b"x" * 10)
        handler.wfile.flush()
        time.sleep(0.05)


def _huge_no_length(handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b"<p>" + b"a" * 1000 + b"</p>")


@pytest.fixture(scope="module")
def server():
    port_holder: dict = {}

    def redirect_to(location: str):
        return lambda h: _send(h, 302, b"", {"Location": location.format(**port_holder)})

    routes = {
        "/article": lambda h: _send(
            h, 200, ARTICLE_HTML.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"}
        ),
        "/cp1252.txt": lambda h: _send(
            h,
            200,
            "Grüße aus Köln – „Zitat“".encode("cp1252"),
            {"Content-Type": "text/plain; charset=windows-1252"},
        ),
        "/gzip": lambda h: _send(
            h,
            200,
            gzip.compress(ARTICLE_HTML.encode("utf-8")),
            {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        ),
        "/redirect": redirect_to("/article"),
        "/loop": redirect_to("/loop"),
        "/to-metadata": redirect_to("http://169.254.169.254/latest/meta-data/"),
        "/to-intranet": redirect_to("http://intranet.example:{port}/article"),
        "/to-file": redirect_to("file:///etc/passwd"),
        "/missing-location": lambda h: _send(h, 302),
        "/gone": lambda h: _send(h, 410),
        "/forbidden": lambda h: _send(h, 403),
        "/busy": lambda h: _send(h, 429),
        "/broken": lambda h: _send(h, 503),
        "/image": lambda h: _send(
            h, 200, b"\x89PNG\r\n\x1a\n" + b"\0" * 20, {"Content-Type": "image/png"}
        ),
        "/pdf": lambda h: _send(h, 200, b"%PDF-1.4", {"Content-Type": "application/pdf"}),
        "/big": lambda h: _send(h, 200, b"a" * 5000, {"Content-Type": "text/plain"}),
        "/big-no-length": _huge_no_length,
        "/slow": _slow,
        "/drip": _drip,
        "/empty": lambda h: _send(h, 200, b"", {"Content-Type": "text/html"}),
        "/scripts-only": lambda h: _send(
            h,
            200,
            b"<html><body><script>alert(1)</script></body></html>",
            {"Content-Type": "text/html"},
        ),
    }
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    port_holder["port"] = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port_holder['port']}", port_holder["port"]
    httpd.shutdown()
    httpd.server_close()


LOCAL = Settings(allow_private_urls=True, fetch_timeout=5.0)


def test_fetches_article_text_title_date_and_final_url(server):
    base, _ = server
    document = fetch_article(f"{base}/redirect", settings=LOCAL)
    assert document.url == f"{base}/article"
    assert "Lawrow und Kerry" in document.text
    assert "Außenminister" in document.text
    assert document.title == "Gespräche über Aleppo"
    assert str(document.published) == "2016-12-08"
    assert document.published_source == "metadata"
    for hostile in ("cookie", "alert", "onerror", "color: red", "<script", "<img"):
        assert hostile not in document.text


def test_user_date_wins_over_metadata(server):
    base, _ = server
    document = fetch_article(f"{base}/article", settings=LOCAL, published="2016-12-09")
    assert str(document.published) == "2016-12-09"
    assert document.published_source == "user"


def test_plain_text_in_declared_charset(server):
    base, _ = server
    document = fetch_article(f"{base}/cp1252.txt", settings=LOCAL)
    assert document.text == "Grüße aus Köln – „Zitat“"


def test_gzip_answer_is_decompressed(server):
    base, _ = server
    assert "Lawrow und Kerry" in fetch_article(f"{base}/gzip", settings=LOCAL).text


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/nowhere", "not found"),
        ("/gone", "HTTP 410"),
        ("/forbidden", "refused access"),
        ("/busy", "limiting requests"),
        ("/broken", "server error"),
        ("/image", "an image"),
        ("/pdf", "PDF"),
        ("/loop", "redirected more than"),
        ("/missing-location", "redirected without"),
        ("/empty", "empty"),
        ("/scripts-only", "no article text"),
    ],
)
def test_each_failure_has_its_own_one_line_message(server, path, words):
    base, _ = server
    with pytest.raises(PlacelineError) as caught:
        fetch_article(f"{base}{path}", settings=LOCAL)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message


def test_size_cap_with_and_without_content_length(server):
    base, _ = server
    small = Settings(allow_private_urls=True, max_fetch_bytes=1000)
    for path in ("/big", "/big-no-length"):
        with pytest.raises(FetchError, match="larger than the limit"):
            fetch_article(f"{base}{path}", settings=small)


def test_timeout_on_silent_and_dripping_servers(server):
    base, _ = server
    quick = Settings(allow_private_urls=True, fetch_timeout=0.5)
    for path in ("/slow", "/drip"):
        started = time.monotonic()
        with pytest.raises(FetchError, match="within 0.5 seconds"):
            fetch_article(f"{base}{path}", settings=quick)
        assert time.monotonic() - started < 1.4


def test_unreachable_port_gives_connection_message():
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not connect to 127.0.0.1"):
        fetch_article(f"http://127.0.0.1:{port}/", settings=LOCAL)


def test_unknown_host_message():
    def no_such_host(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchError, match="could not find the site nosuch.example"):
        fetch_article("https://nosuch.example/a", resolver=no_such_host)


# --- SSRF: the default settings refuse everything that is not public -------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8501/",
        "http://10.0.0.1/",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_default_settings_refuse_private_addresses(url):
    def resolver(host, port):
        return {"localhost": ["127.0.0.1"]}.get(host, ["203.0.113.1"])

    def opener(address, timeout):
        raise AssertionError(f"must not connect to {address}")

    with pytest.raises(FetchError, match="refused") as caught:
        fetch_article(url, resolver=resolver, opener=opener)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.txt", "gopher://x/"])
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match="only web addresses starting with http"):
        fetch_article(url, settings=LOCAL)


def test_every_resolved_address_is_checked():
    def resolver(host, port):
        return ["93.184.216.34", "10.1.2.3"]  # one public, one private: refuse

    with pytest.raises(FetchError, match="private network"):
        fetch_article("http://mixed.example/", resolver=resolver)


def _public_names_to_local_server(port: int, connections: list):
    """A resolver that gives news.example a public address and intranet.example a private one,
    and an opener that sends the public address to the local test server."""

    def resolver(host, _port):
        return {"news.example": ["93.184.216.34"], "intranet.example": ["10.0.0.5"]}[host]

    def opener(address, timeout):
        connections.append(address)
        assert address[0] == "93.184.216.34", f"connected to an unchecked address {address}"
        return socket.create_connection(("127.0.0.1", port), timeout)

    return resolver, opener


def test_public_host_is_fetched_at_the_checked_address(server):
    _, port = server
    connections: list = []
    resolver, opener = _public_names_to_local_server(port, connections)
    document = fetch_article(
        f"http://news.example:{port}/article", resolver=resolver, opener=opener
    )
    assert "Kerry" in document.text
    assert connections == [("93.184.216.34", port)]


def test_redirect_to_private_host_is_refused_with_default_settings(server):
    _, port = server
    connections: list = []
    resolver, opener = _public_names_to_local_server(port, connections)
    with pytest.raises(FetchError, match=r"refused to fetch intranet.example.*10\.0\.0\.5"):
        fetch_article(f"http://news.example:{port}/to-intranet", resolver=resolver, opener=opener)
    assert connections == [("93.184.216.34", port)]  # the private hop was never opened


@pytest.mark.parametrize(
    ("path", "words"), [("/to-metadata", "cloud metadata"), ("/to-file", "http")]
)
def test_redirects_are_checked_even_when_private_urls_are_allowed(server, path, words):
    base, _ = server
    with pytest.raises(FetchError, match=words):
        fetch_article(f"{base}{path}", settings=LOCAL)


def test_address_refusal_rules():
    assert address_refusal("8.8.8.8") is None
    assert address_refusal("2606:4700:4700::1111") is None
    assert "loopback" in address_refusal("127.0.0.2")
    assert "private" in address_refusal("172.16.0.1")
    assert "link-local" in address_refusal("fe80::1%eth0")
    assert "multicast" in address_refusal("224.0.0.1")
    assert address_refusal("100.64.0.1") is not None  # carrier-grade NAT
    assert address_refusal("10.0.0.1", allow_private=True) is None
    assert "metadata" in address_refusal("169.254.169.254", allow_private=True)

"""URL -> Document. All HTTP for articles lives here.

placeline may run as a shared newsroom server, so a URL field is a way into the server's own
network (SSRF). Every hop is checked: only http and https; the host is resolved once and every
address it resolves to must be public (unless ``Settings.allow_private_urls``); the connection
goes to exactly the checked address (no second DNS lookup an attacker could answer differently);
redirects are followed by hand and checked again; size, time and redirects are capped.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Sequence
from urllib.parse import urljoin, urlsplit

from placeline.errors import FetchError
from placeline.ingest.html import decode_html_bytes, document_from_html
from placeline.ingest.text import decode_text_bytes, document_from_text
from placeline.model import Document
from placeline.settings import Settings

Resolver = Callable[[str, int], Sequence[str]]
"""(host, port) -> the IP addresses the host resolves to, as strings."""
Opener = Callable[[tuple[str, int], float], socket.socket]
"""((checked address, port), timeout) -> a connected socket; ``socket.create_connection``."""

MAX_REDIRECTS = 5
MAX_URL_CHARS = 2048
USER_AGENT = "placeline/0.1 (newsroom article fetch)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK_BYTES = 64 * 1024

# Cloud instance-metadata endpoints hand out credentials: refused even when private addresses
# are allowed (no newsroom needs to fetch an article from them).
METADATA_HOSTNAMES = frozenset(
    {
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
    }
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)


def resolve_host(host: str, port: int) -> list[str]:
    """The system resolver: every address ``host`` resolves to, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_refusal(address: str, *, allow_private: bool = False) -> str | None:
    """Why placeline must not connect to ``address`` ("a private network address" …), or None."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 scope id
    except ValueError:
        return "an address that is not valid"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            refusal = address_refusal(str(embedded), allow_private=allow_private)
            if refusal:
                return refusal
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if allow_private:
        return None
    if ip.is_loopback:
        return "this computer (a loopback address)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private network address"
    if ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "a reserved address"
    return None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an already checked IP address while sending the URL's host name."""

    def __init__(
        self, host: str, port: int, *, address: str, timeout: float, opener: Opener
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._opener = opener

    def connect(self) -> None:
        self.sock = self._opener((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self, host: str, port: int, *, address: str, timeout: float, opener: Opener
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address
        self._opener = opener

    def connect(self) -> None:
        sock = self._opener((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _normalise_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise FetchError("the web address is empty")
    if len(url) > MAX_URL_CHARS:
        raise FetchError(f"the web address is longer than {MAX_URL_CHARS:,} characters")
    if "://" not in url and not urlsplit(url).scheme:
        url = "https://" + url  # "www.example.org/story" as people paste it
    return url


def _checked_target(
    url: str, *, settings: Settings, resolver: Resolver
) -> tuple[str, int, list[str]]:
    """(host, port, allowed addresses) for ``url``, or FetchError saying why it is refused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"only web addresses starting with http:// or https:// can be fetched, not {scheme}:"
        )
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchError(f"the web address {url!r} has no host name")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"the web address {url!r} has an invalid port") from exc
    if host in METADATA_HOSTNAMES:
        raise FetchError(f"refused to fetch {host}: it is a cloud metadata service")
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = list(resolver(host, port))
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"could not find the site {host}: check the address") from exc
        except OSError as exc:
            raise FetchError(f"could not look up the site {host} ({exc})") from exc
    if not addresses:
        raise FetchError(f"could not find the site {host}: check the address")
    for address in addresses:
        refusal = address_refusal(address, allow_private=settings.allow_private_urls)
        if refusal:
            raise FetchError(
                f"refused to fetch {host}: it points to {refusal} ({address}); "
                "placeline only fetches public web addresses"
            )
    return host, port, addresses


def _status_error(status: int, host: str) -> FetchError:
    if status in (404, 410):
        return FetchError(f"the page was not found on {host} (HTTP {status}): check the address")
    if status in (401, 403):
        return FetchError(
            f"{host} refused access (HTTP {status}): the article may need a login "
            "or the site blocks downloads"
        )
    if status == 429:
        return FetchError(f"{host} is limiting requests (HTTP 429): try again in a few minutes")
    if status >= 500:
        return FetchError(f"{host} had a server error (HTTP {status}): try again later")
    return FetchError(f"{host} answered with HTTP {status} instead of the page")


def _content_type(value: str | None) -> tuple[str, str | None]:
    """("text/html", "utf-8") from a Content-Type header value."""
    if not value:
        return "", None
    media, *params = (piece.strip() for piece in value.split(";"))
    charset = None
    for param in params:
        key, _, param_value = param.partition("=")
        if key.strip().lower() == "charset" and param_value.strip():
            charset = param_value.strip().strip("\"'")
    return media.lower(), charset


def _read_capped(
    response: http.client.HTTPResponse,
    connection: http.client.HTTPConnection,
    *,
    host: str,
    limit: int,
    deadline: float,
    timeout: float,
) -> bytes:
    """Read the body in chunks; stop at ``limit`` bytes or when the overall time is up, so a
    huge or slowly dripping answer cannot hold the app."""
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > limit:
        raise FetchError(f"the page on {host} is larger than the limit of {limit / 1e6:g} MB")
    chunks: list[bytes] = []
    total = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{host} did not send the page within {timeout:g} seconds")
        if connection.sock is not None:
            connection.sock.settimeout(remaining)
        chunk = response.read1(_CHUNK_BYTES)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise FetchError(f"the page on {host} is larger than the limit of {limit / 1e6:g} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _decompressed(body: bytes, encoding: str | None, *, host: str, limit: int) -> bytes:
    """Undo gzip/deflate (servers may send it although we ask for none), capped at ``limit``."""
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{host} sent the page in an encoding placeline cannot read ({encoding})")
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        decompressor = zlib.decompressobj(wbits)
        data = decompressor.decompress(body, limit + 1)
    except zlib.error as exc:
        raise FetchError(f"{host} sent a damaged compressed page") from exc
    if len(data) > limit or decompressor.unconsumed_tail:
        raise FetchError(f"the page on {host} is larger than the limit of {limit / 1e6:g} MB")
    return data


def _request_once(
    url: str,
    host: str,
    port: int,
    address: str,
    *,
    settings: Settings,
    deadline: float,
    opener: Opener,
) -> tuple[int, str | None, str | None, str | None, bytes]:
    """One GET to one checked address: (status, location, content type, encoding, body)."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    remaining = max(0.001, min(settings.fetch_timeout, deadline - time.monotonic()))
    connection_class = (
        _PinnedHTTPSConnection if parts.scheme.lower() == "https" else _PinnedHTTPConnection
    )
    connection = connection_class(host, port, address=address, timeout=remaining, opener=opener)
    try:
        connection.request(
            "GET",
            path,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
                "Accept-Encoding": "identity",
            },
        )
        response = connection.getresponse()
        status = response.status
        if status in REDIRECT_STATUSES or not 200 <= status < 300:
            return status, response.getheader("Location"), None, None, b""
        body = _read_capped(
            response,
            connection,
            host=host,
            limit=settings.max_fetch_bytes,
            deadline=deadline,
            timeout=settings.fetch_timeout,
        )
        return (
            status,
            None,
            response.getheader("Content-Type"),
            response.getheader("Content-Encoding"),
            body,
        )
    finally:
        connection.close()


def _request(
    url: str,
    host: str,
    port: int,
    addresses: list[str],
    *,
    settings: Settings,
    deadline: float,
    opener: Opener,
) -> tuple[int, str | None, str | None, str | None, bytes]:
    """Try each checked address in turn; translate network failures into one-line messages."""
    last_error: FetchError | None = None
    for address in addresses:
        try:
            return _request_once(
                url, host, port, address, settings=settings, deadline=deadline, opener=opener
            )
        except FetchError:
            raise
        except TimeoutError as exc:
            raise FetchError(
                f"{host} did not answer within {settings.fetch_timeout:g} seconds"
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            raise FetchError(
                f"the secure connection to {host} could not be verified (certificate problem)"
            ) from exc
        except ssl.SSLError as exc:
            raise FetchError(f"the secure connection to {host} failed") from exc
        except http.client.HTTPException as exc:
            raise FetchError(f"{host} sent an answer that is not valid HTTP") from exc
        except ConnectionRefusedError as exc:
            last_error = FetchError(f"could not connect to {host} (connection refused)")
            last_error.__cause__ = exc
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            last_error = FetchError(f"could not reach {host} ({reason})")
            last_error.__cause__ = exc
    raise last_error or FetchError(f"could not reach {host}")


def fetch_url(
    url: str,
    *,
    settings: Settings | None = None,
    resolver: Resolver = resolve_host,
    opener: Opener = socket.create_connection,
) -> tuple[str, str, str | None, bytes]:
    """Fetch a web page safely: (final url, media type, charset, body bytes).

    ``resolver`` and ``opener`` are the two points where the network is touched (DNS, TCP);
    tests pass fakes so a public-looking name can lead to a local server."""
    settings = settings or Settings()
    url = _normalise_url(url)
    deadline = time.monotonic() + settings.fetch_timeout
    for _hop in range(MAX_REDIRECTS + 1):
        host, port, addresses = _checked_target(url, settings=settings, resolver=resolver)
        status, location, content_type, encoding, body = _request(
            url, host, port, addresses, settings=settings, deadline=deadline, opener=opener
        )
        if status in REDIRECT_STATUSES:
            if not location:
                raise FetchError(f"{host} redirected without saying where to")
            url = urljoin(url, location.strip())
            continue
        if not 200 <= status < 300:
            raise _status_error(status, host)
        body = _decompressed(body, encoding, host=host, limit=settings.max_fetch_bytes)
        media_type, charset = _content_type(content_type)
        return url, media_type, charset, body
    raise FetchError(f"the address redirected more than {MAX_REDIRECTS} times; giving up")


def _describe_media_type(media_type: str) -> str:
    if media_type == "application/pdf":
        return "a PDF document (download it and upload the file instead)"
    if media_type.startswith("image/"):
        return "an image"
    if media_type.startswith(("audio/", "video/")):
        return "audio or video"
    if "json" in media_type or "javascript" in media_type:
        return "program data"
    return f"a file of type {media_type}"


def fetch_article(
    url: str,
    *,
    lang: str | None = None,
    published: str | dt.date | None = None,
    settings: Settings | None = None,
    resolver: Resolver = resolve_host,
    opener: Opener = socket.create_connection,
) -> Document:
    """Fetch a news article and read it like an HTML upload (``Document.url`` is the final URL
    after redirects). ``resolver`` and ``opener`` default to the system's DNS and TCP."""
    settings = settings or Settings()
    final_url, media_type, charset, body = fetch_url(
        url, settings=settings, resolver=resolver, opener=opener
    )
    host = urlsplit(final_url).hostname or final_url
    if not body.strip():
        raise FetchError(f"the page on {host} is empty")
    looks_like_html = body[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html"))
    if media_type in HTML_TYPES or (not media_type and looks_like_html):
        html = decode_html_bytes(body, declared_charset=charset, name=f"the page on {host}")
        return document_from_html(
            html,
            url=final_url,
            lang=lang,
            published=published,
            name=f"the page on {host}",
            settings=settings,
        )
    if media_type in TEXT_TYPES or not media_type:
        text = decode_text_bytes(body, declared_charset=charset, name=f"the page on {host}")
        return document_from_text(
            text, lang=lang, published=published, url=final_url, settings=settings
        )
    raise FetchError(
        f"the address gives {_describe_media_type(media_type)}, not a web page with an article"
    )

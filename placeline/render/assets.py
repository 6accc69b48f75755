"""Offline front-end assets and the offline basemap.

folium loads Leaflet, jQuery and its plugins from CDNs, so with no network a folium map draws
nothing. The files are vendored under ``static/vendor/<package>/`` (with their licences) by
``scripts/vendor_assets.py``; this module points a map at them (served by Streamlit's static
file serving), inlines them into a standalone HTML file, and draws a basemap of country
outlines from ``data/basemap/`` so that the map still looks like a map without tiles.

No network at run time: everything here reads files from the repository.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from placeline.errors import PlacelineError

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
VENDOR_DIR = REPO_ROOT / "static" / "vendor"
BASEMAP_DIR = REPO_ROOT / "data" / "basemap"
BASEMAP_FILE = BASEMAP_DIR / "countries-110m.geojson"

#: Where Streamlit serves ``static/vendor`` (``[server] enableStaticServing = true``). Absolute,
#: because st_folium renders the map in a component iframe whose own URL lives under
#: ``/component/…``: a relative ``app/static/…`` would resolve below that and miss.
STREAMLIT_VENDOR_URL = "/app/static/vendor"

MAX_ZOOM = 18
SEA_COLOR = "#b3d1e6"
LAND_COLOR = "#f2efe9"
BORDER_COLOR = "#a6a29a"


class AssetError(PlacelineError, FileNotFoundError):
    """A vendored asset or the basemap is missing: run scripts/vendor_assets.py."""


@dataclass(frozen=True)
class VendoredPackage:
    """One npm package copied into ``static/vendor/<folder>/``.

    ``files`` maps a path inside the npm tarball (below ``package/``) to a path below the
    folder; ``licence`` is the tarball's licence file, copied next to the code.
    """

    npm: str
    folder: str
    files: tuple[tuple[str, str], ...]
    licence: str


VENDORED_PACKAGES: tuple[VendoredPackage, ...] = (
    VendoredPackage(
        "leaflet@1.9.3",
        "leaflet",
        (
            ("dist/leaflet.js", "leaflet.js"),
            ("dist/leaflet.css", "leaflet.css"),
            ("dist/images/layers.png", "images/layers.png"),
            ("dist/images/layers-2x.png", "images/layers-2x.png"),
            ("dist/images/marker-icon.png", "images/marker-icon.png"),
            ("dist/images/marker-icon-2x.png", "images/marker-icon-2x.png"),
            ("dist/images/marker-shadow.png", "images/marker-shadow.png"),
        ),
        "LICENSE",
    ),
    VendoredPackage("jquery@3.7.1", "jquery", (("dist/jquery.min.js", "jquery.min.js"),),
                    "LICENSE.txt"),
    VendoredPackage(
        "leaflet.markercluster@1.1.0",
        "leaflet.markercluster",
        (
            ("dist/leaflet.markercluster.js", "leaflet.markercluster.js"),
            ("dist/MarkerCluster.css", "MarkerCluster.css"),
            ("dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"),
        ),
        "MIT-LICENCE.txt",
    ),
    VendoredPackage(
        "leaflet.featuregroup.subgroup@1.0.2",
        "leaflet.featuregroup.subgroup",
        (("dist/leaflet.featuregroup.subgroup.js", "leaflet.featuregroup.subgroup.js"),),
        "LICENSE",
    ),
    VendoredPackage(
        "leaflet.timeline@1.6.0",
        "leaflet.timeline",
        (("dist/leaflet.timeline.js", "leaflet.timeline.js"),),
        "LICENSE",
    ),
    VendoredPackage("moment@2.18.1", "moment", (("min/moment.min.js", "moment.min.js"),),
                    "LICENSE"),
    VendoredPackage(
        "leaflet.fullscreen@3.0.0",
        "leaflet.fullscreen",
        (
            ("Control.FullScreen.js", "Control.FullScreen.js"),
            ("Control.FullScreen.css", "Control.FullScreen.css"),
            ("icon-fullscreen.svg", "icon-fullscreen.svg"),
        ),
        "LICENSE",
    ),
)

# CDN URLs that folium (and the plugins we use) emit, matched on the URL so that a folium
# upgrade that only bumps a version still finds the local copy; tests check every default.
_LOCAL_BY_URL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), local)
    for pattern, local in (
        (r"/leaflet(@[\d.]+)?/dist/leaflet\.js$", "leaflet/leaflet.js"),
        (r"/leaflet(@[\d.]+)?/dist/leaflet\.css$", "leaflet/leaflet.css"),
        (r"/jquery(-[\d.]+)?(\.min)?\.js$", "jquery/jquery.min.js"),
        (r"markercluster.*/leaflet\.markercluster(-src)?\.js$",
         "leaflet.markercluster/leaflet.markercluster.js"),
        (r"markercluster.*/MarkerCluster\.css$", "leaflet.markercluster/MarkerCluster.css"),
        (r"markercluster.*/MarkerCluster\.Default\.css$",
         "leaflet.markercluster/MarkerCluster.Default.css"),
        (r"/leaflet\.featuregroup\.subgroup(-src)?\.js$",
         "leaflet.featuregroup.subgroup/leaflet.featuregroup.subgroup.js"),
        (r"/leaflet\.timeline(\.min)?\.js$", "leaflet.timeline/leaflet.timeline.js"),
        (r"/moment(\.min)?\.js$", "moment/moment.min.js"),
        (r"/Control\.FullScreen(\.min)?\.js$", "leaflet.fullscreen/Control.FullScreen.js"),
        (r"/Control\.FullScreen\.css$", "leaflet.fullscreen/Control.FullScreen.css"),
    )
)

# Bootstrap, glyphicons and awesome-markers come with every folium map but serve only
# folium's icon markers; placeline draws CircleMarkers, so these are dropped, not vendored.
_DROPPED_URL = re.compile(
    r"bootstrap|glyphicons|fontawesome|awesome-markers|awesome\.rotate", re.IGNORECASE
)

_REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)


def local_asset_path(url: str) -> str | None:
    """The vendored file (relative to ``static/vendor``) that replaces a CDN ``url``, if any."""
    for pattern, local in _LOCAL_BY_URL:
        if pattern.search(url):
            return local
    return None


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def _localise_links(
    links: list[tuple[str, str]], base_url: str
) -> list[tuple[str, str]]:
    localised = []
    for name, url in links:
        if _DROPPED_URL.search(url):
            continue
        local = local_asset_path(url)
        if local is not None:
            url = f"{base_url.rstrip('/')}/{local}"
        elif _REMOTE.match(url):
            log.warning("no vendored copy of %s; the map needs network for it", url)
        localised.append((name, url))
    return localised


def local_links(
    links: list[tuple[str, str]], *, base_url: str = STREAMLIT_VENDOR_URL
) -> list[tuple[str, str]]:
    """``(name, url)`` asset links with CDN URLs replaced by their vendored copies under
    ``base_url`` (bootstrap and awesome-markers dropped), for an element that is not on the
    map when ``use_local_assets`` runs, such as a layer passed to st_folium on its own."""
    return _localise_links(list(links), base_url)


class _DefaultIconPath(MacroElement):
    """Sets where Leaflet finds its default marker images, before any marker is made.

    Leaflet guesses the path from leaflet.css, but inside the st_folium iframe the stylesheet
    is often not applied yet when the first marker is drawn, and its fallback drops the
    slash ("…/leafletmarker-icon.png"): the marker shows as a broken image.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.Icon.Default.imagePath = {{ this.image_path|tojson }};"
        "{% endmacro %}"
    )

    def __init__(self, image_path: str):
        super().__init__()
        self._name = "DefaultIconPath"
        self.image_path = image_path


def use_local_assets(m: folium.Map, *, base_url: str = STREAMLIT_VENDOR_URL) -> folium.Map:
    """Point the map's (and its plugins') JS/CSS links at the vendored copies; return ``m``.

    Call it after every layer and plugin has been added (it rewrites the elements present).
    Each element gets its own link lists, because folium's ``add_js_link`` would otherwise
    change the class-level defaults of every map in the process. Bootstrap and
    awesome-markers are dropped (CircleMarkers need neither). st_folium collects the links
    from the same attributes, so this works inside the Streamlit component iframe with the
    default absolute ``base_url`` (``/app/static/vendor``); a standalone file written next
    to a copy of ``static/vendor`` can pass a relative one. Links with no vendored copy are
    kept and logged; ``remote_asset_urls`` lists them.
    """
    root = m.get_root()
    for element in _walk(root if isinstance(root, Figure) else m):
        # duck-typed: folium's Timeline declares default_js without being a JSCSSMixin
        if isinstance(element, JSCSSMixin) or hasattr(element, "default_js"):
            element.default_js = _localise_links(list(element.default_js), base_url)
            element.default_css = _localise_links(
                list(getattr(element, "default_css", [])), base_url
            )
    icon_path = _DefaultIconPath(f"{base_url.rstrip('/')}/leaflet/images/")
    m.add_child(icon_path, name="placeline_default_icon_path")
    m._children.move_to_end("placeline_default_icon_path", last=False)
    return m


def remote_asset_urls(m: folium.Map) -> list[str]:
    """Every JS/CSS link of the map (and its plugins) that still points at the network."""
    root = m.get_root()
    urls = []
    for element in _walk(root if isinstance(root, Figure) else m):
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            if _REMOTE.match(url):
                urls.append(url)
    return urls


def _vendor_file(local: str) -> Path:
    path = VENDOR_DIR / local
    if not path.is_file():
        raise AssetError(f"vendored asset missing: static/vendor/{local}")
    return path


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def _inline_css(path: Path) -> str:
    """The stylesheet with its relative ``url(...)`` images turned into data URIs."""

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if _REMOTE.match(target) or target.startswith(("data:", "#")):
            return match.group(0)
        image = (path.parent / target).resolve()
        if not image.is_file() or VENDOR_DIR.resolve() not in image.parents:
            return match.group(0)
        return f'url("{_data_uri(image)}")'

    return _CSS_URL.sub(replace, path.read_text(encoding="utf-8"))


# Leaflet finds its default marker images through the stylesheet's URL, which a data URI
# breaks; giving the images directly keeps plain folium.Marker working offline.
def _default_icon_script() -> str:
    images = VENDOR_DIR / "leaflet" / "images"
    options = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    return (
        "L.Icon.Default.imagePath = '';"
        f"L.Icon.Default.mergeOptions({json.dumps(options)});"
    )


_SCRIPT_TAG = re.compile(
    r"<script\b[^>]*\bsrc=([\"'])(?P<url>[^\"']+)\1[^>]*>\s*</script\s*>", re.IGNORECASE
)
_LINK_TAG = re.compile(
    r"<link\b[^>]*\bhref=([\"'])(?P<url>[^\"']+)\1[^>]*/?>", re.IGNORECASE
)


def _local_for(url: str) -> str | None:
    """The vendored file behind either a CDN URL or an already localised one."""
    if _DROPPED_URL.search(url):
        return ""
    local = local_asset_path(url)
    if local is None and "/vendor/" in url:
        candidate = url.split("/vendor/", 1)[1]
        if (VENDOR_DIR / candidate).is_file():
            local = candidate
    return local


_ICON_PATH_ASSIGNMENT = re.compile(r'L\.Icon\.Default\.imagePath = "[^"]*/vendor/leaflet/images/";')


def _safe_inline_script(code: str) -> str:
    # "</script" inside the code would close the tag early; "<\/" means the same in JS.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def inline_assets(html: str) -> str:
    """Return ``html`` with every vendored script and stylesheet inlined, for offline files.

    Works on the output of ``folium.Map.get_root().render()`` with or without
    ``use_local_assets``: CDN links and ``…/vendor/…`` links are replaced by the file's
    content (stylesheet images as data URIs), bootstrap/awesome-markers links are removed.
    Links to anything not vendored are left alone; ``remote_urls_in_html`` finds them.
    """

    def script(match: re.Match[str]) -> str:
        local = _local_for(match.group("url"))
        if local is None:
            return match.group(0)
        if local == "":
            return ""
        code = _vendor_file(local).read_text(encoding="utf-8")
        if local == "leaflet/leaflet.js":
            code += "\n" + _default_icon_script()
        return f"<script>{_safe_inline_script(code)}</script>"

    def stylesheet(match: re.Match[str]) -> str:
        tag = match.group(0)
        if "stylesheet" not in tag.lower():
            return tag
        local = _local_for(match.group("url"))
        if local is None:
            return tag
        if local == "":
            return ""
        css = _inline_css(_vendor_file(local))
        return "<style>" + re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE) + "</style>"

    html = _ICON_PATH_ASSIGNMENT.sub("", html)  # the inlined images replace the served ones
    return _LINK_TAG.sub(stylesheet, _SCRIPT_TAG.sub(script, html))


_ASSET_ATTR = re.compile(
    r"<(?:script|link|img)\b[^>]*\b(?:src|href)=([\"'])(https?:)?//", re.IGNORECASE
)


def remote_urls_in_html(html: str) -> list[str]:
    """Opening tags in ``html`` (script, link, img) that load something from the network."""
    return [m.group(0) for m in _ASSET_ATTR.finditer(html)]


@functools.cache
def _basemap_text() -> str:
    if not BASEMAP_FILE.is_file():
        raise AssetError("offline basemap missing: data/basemap/countries-110m.geojson")
    return BASEMAP_FILE.read_text(encoding="utf-8")


def basemap_geojson() -> dict:
    """Country outlines (Natural Earth 1:110m via npm ``world-atlas``) as a GeoJSON dict.

    Read from ``data/basemap/`` (no network); a fresh dict on every call, so callers may
    change it freely. Features carry ``properties.name``.
    """
    return json.loads(_basemap_text())


class PrecedingLayersControl(folium.LayerControl):
    """A layer control that lists only the layers added to the map before it.

    folium's LayerControl lists every layer of the map, also those added after it, whose
    variables do not exist yet when its script runs ("Cannot read properties of undefined
    (reading 'setZIndex')"), which stops the whole map script, in st_folium too.
    """

    def render(self, **kwargs):
        self.reset()
        for item in self._parent._children.values():
            if item is self:
                break
            if not isinstance(item, folium.map.Layer) or not item.control:
                continue
            target = self.overlays if item.overlay else self.base_layers
            target[item.layer_name] = item.get_name()
        MacroElement.render(self, **kwargs)


def add_basemap(
    m: folium.Map, *, online_tiles: bool = False, layer_control: bool = True
) -> folium.Map:
    """Draw the offline basemap on ``m`` and return ``m``.

    The map background is sea-coloured and the countries are filled as land, so without
    network the map still looks like a map. Create the map with ``tiles=None``. With
    ``online_tiles`` an OpenStreetMap tile layer is added as a second base layer (off until
    chosen), for users who are online, with a control to switch between the two that lists
    only the layers present now (``PrecedingLayersControl``). Pass ``layer_control=False``
    to add your own ``folium.LayerControl()`` instead, after all your other layers.
    """
    # Without a tile layer nothing tells Leaflet how far it may zoom, and MarkerCluster
    # refuses to start ("Map has no maxZoom specified").
    m.options.setdefault("max_zoom", MAX_ZOOM)
    background = Element(
        f"<style>#{m.get_name()}, .leaflet-container {{ background: {SEA_COLOR}; }}</style>"
    )
    m.get_root().header.add_child(background, name="placeline_sea_background")
    # Offline outlines and online tiles are base layers: choosing the tiles hides the land
    # fill, which would otherwise cover them.
    outlines = folium.FeatureGroup(name="Map (offline)", overlay=False, control=online_tiles)
    folium.GeoJson(
        basemap_geojson(),
        name="Countries",
        style_function=lambda _feature: {
            "fillColor": LAND_COLOR,
            "fillOpacity": 1.0,
            "color": BORDER_COLOR,
            "weight": 0.6,
        },
        interactive=False,
        control=False,
        smooth_factor=0.5,
    ).add_to(outlines)
    outlines.add_to(m)
    if online_tiles:
        folium.TileLayer(
            "OpenStreetMap",
            name="OpenStreetMap (online)",
            overlay=False,
            show=False,
            attr="© OpenStreetMap contributors (ODbL)",
        ).add_to(m)
        if layer_control:
            PrecedingLayersControl(collapsed=True).add_to(m)
    return m


__all__ = [
    "STREAMLIT_VENDOR_URL",
    "VENDORED_PACKAGES",
    "AssetError",
    "add_basemap",
    "basemap_geojson",
    "inline_assets",
    "local_asset_path",
    "local_links",
    "remote_asset_urls",
    "remote_urls_in_html",
    "use_local_assets",
]

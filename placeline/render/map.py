"""Analyses -> a folium map: an offline basemap and one CircleMarker per place, clustered.

Pure functions (no streamlit). The app builds the base map once and passes the marker layer
through st_folium's ``feature_group_to_add`` so a selection does not remount the map; the
standalone ``build_map`` puts both together for exports and tests.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from placeline.model import Analysis
from placeline.project import PlaceRow, bounds_of, place_rows, tooltip_for
from placeline.render.assets import (
    STREAMLIT_VENDOR_URL,
    add_basemap,
    local_links,
    use_local_assets,
)
from placeline.render.escape import escape_html

# Absolute, so it also resolves inside st_folium's component iframe (served under /component/).
DEFAULT_ASSET_BASE_URL = STREAMLIT_VENDOR_URL

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
KIND_COLOURS = {
    "city": "#0072B2",
    "country": "#E69F00",
    "admin": "#009E73",
    "region": "#CC79A7",
    "water": "#56B4E9",
    "landmark": "#D55E00",
    "continent": "#F0E442",
    "other": "#999999",
}
SELECTED_OUTLINE = "#000000"
WORLD_VIEW = ((30.0, 20.0), 2)


def marker_radius(mentions: int) -> float:
    return min(24.0, 5.0 + 3.0 * math.sqrt(max(mentions, 1)))


class BaseMap(folium.Map):
    """A folium map whose offline basemap already spans the world.

    st_folium asks the map for the bounds of everything on it on every rerun, only to fill a
    default value the app never requests; walking the 177 country outlines for that took about
    80 ms a rerun. The answer is the world, whatever else is on the map.
    """

    def get_bounds(self) -> list[list[float]]:
        return [[-90.0, -180.0], [90.0, 180.0]]


def build_base_map(
    *,
    online_tiles: bool = False,
    asset_base_url: str | None = DEFAULT_ASSET_BASE_URL,
    center: tuple[float, float] = WORLD_VIEW[0],
    zoom: int = WORLD_VIEW[1],
) -> folium.Map:
    """The map without markers: offline country outlines, optional OpenStreetMap tiles.

    ``asset_base_url`` points Leaflet at the vendored copies; None keeps folium's CDN links.
    """
    m = BaseMap(location=list(center), zoom_start=zoom, tiles=None, control_scale=True)
    # folium needs jQuery only for HTML popups, which this map has none of; st_folium loads
    # the scripts one after another, so each one left out is drawn sooner.
    m.default_js = [(name, url) for name, url in m.default_js if name != "jquery"]
    if asset_base_url is not None:
        use_local_assets(m, base_url=asset_base_url)
    add_basemap(m, online_tiles=online_tiles)
    return m


# Markers whose centres lie closer than this many screen pixels are drawn as one cluster.
CLUSTER_RADIUS_PX = 20
# A cluster whose places only separate at this zoom or deeper (a city and its landmarks) fans
# out where it is on click instead of zooming the map down to street level.
SPIDERFY_FROM_ZOOM = 10
# folium's own CDN location of the plugin, which local_asset_path maps to the vendored copy.
MARKERCLUSTER_CDN = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0"


class PlaceMarkers(JSCSSMixin, MacroElement):
    """All markers of a layer in one script: a JSON list and a loop of ``L.circleMarker``,
    clustered with leaflet.markercluster so that places at one spot stay clickable.

    One folium element per marker compiles a Jinja template for the marker and one for its
    tooltip, which made a 600-place project spend about two seconds per rerun in Python. The
    markers drawn are the same Leaflet objects (a click still reports the tooltip's text).

    Near-overlapping markers (``CLUSTER_RADIUS_PX``) become a cluster showing how many places
    it holds; clicking it zooms in until they separate, or, when they would only separate at
    street level (Moscow and the Kremlin), fans them out in place (spiderfy). A cluster holding
    an emphasised (selected) place gets a black outline like the place's own marker.

    The cluster group joins the layer one tick late, on purpose: st_folium binds its click
    handler to every layer on the map right after running this script, and a cluster (or the
    cluster group's inner layer) bound that way would report each cluster click as a click
    on the last place. Added later, only the feature group itself is bound, and it hears
    "click" for places but "clusterclick" for clusters.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (layer) {
            var markers = {{ this.markers_json }};
            var anyEmphasised = false;
            function clusterIcon(cluster) {
                var children = cluster.getAllChildMarkers();
                var emphasised = children.some(function (m) { return m.emphasised; });
                var size = Math.min(44, 26 + 3 * Math.sqrt(children.length));
                var faded = anyEmphasised && !emphasised;
                return L.divIcon({
                    html: '<div style="width:100%;height:100%;box-sizing:border-box;'
                        + 'border-radius:50%;display:flex;align-items:center;'
                        + 'justify-content:center;font:bold 12px sans-serif;color:#fff;'
                        + 'background:rgba(51,51,51,' + (faded ? 0.35 : 0.85) + ');'
                        + 'border:' + (emphasised ? '4px solid #000' : '2px solid #fff')
                        + '">' + children.length + '</div>',
                    className: "placeline-cluster" + (emphasised ? " placeline-cluster-emphasised" : ""),
                    iconSize: L.point(size, size)
                });
            }
            var group = L.markerClusterGroup({
                maxClusterRadius: {{ this.cluster_radius }},
                showCoverageOnHover: false,
                zoomToBoundsOnClick: false,
                spiderfyOnMaxZoom: false,
                spiderfyDistanceMultiplier: 2,
                iconCreateFunction: clusterIcon
            });
            group.on("clusterclick", function (event) {
                var cluster = event.layer;
                var map = group._map;
                if (map.getBoundsZoom(cluster.getBounds()) >= {{ this.spiderfy_from_zoom }}) {
                    cluster.spiderfy();
                } else {
                    cluster.zoomToBounds({padding: [24, 24]});
                }
            });
            var drawn = [];
            for (var i = 0; i < markers.length; i++) {
                var marker = markers[i];
                var circle = L.circleMarker(marker.location, marker.style)
                    .bindTooltip(marker.tooltip, {"sticky": true});
                circle.emphasised = marker.emphasised;
                anyEmphasised = anyEmphasised || marker.emphasised;
                drawn.push(circle);
            }
            group.addLayers(drawn);
            setTimeout(function () { layer.addLayer(group); }, 0);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        markers: Sequence[dict],
        *,
        cluster_radius: int = CLUSTER_RADIUS_PX,
        spiderfy_from_zoom: int = SPIDERFY_FROM_ZOOM,
        asset_base_url: str | None = DEFAULT_ASSET_BASE_URL,
    ) -> None:
        super().__init__()
        self._name = "PlaceMarkers"
        self.markers = list(markers)
        self.cluster_radius = int(cluster_radius)
        self.spiderfy_from_zoom = int(spiderfy_from_zoom)
        self.default_js = [("leaflet_markercluster", f"{MARKERCLUSTER_CDN}/leaflet.markercluster.js")]
        self.default_css = [("leaflet_markercluster_css", f"{MARKERCLUSTER_CDN}/MarkerCluster.css")]
        if asset_base_url is not None:
            # The layer reaches st_folium apart from the base map, after use_local_assets
            # ran on it, so it names its local copies itself.
            self.default_js = local_links(self.default_js, base_url=asset_base_url)
            self.default_css = local_links(self.default_css, base_url=asset_base_url)

    @property
    def markers_json(self) -> str:
        # "<" and ">" as JSON escapes: no "</script>" can end the script block early.
        return json.dumps(self.markers, ensure_ascii=False).replace("<", "\\u003c").replace(
            ">", "\\u003e"
        )


def marker_specs(
    places: Sequence[PlaceRow],
    *,
    selected_place: str | None = None,
    highlighted: Iterable[str] = (),
) -> list[dict]:
    """Location, Leaflet path options and escaped tooltip of every marker, in drawing order.

    The selected place gets a black outline; when a place or an event is selected the other
    markers fade so the selection stands out but stays clickable. Large markers come first so
    small ones stay on top and clickable.
    """
    highlighted = set(highlighted)
    if selected_place:
        highlighted.add(selected_place)
    specs = []
    for row in sorted(places, key=lambda r: -r.mentions):
        emphasised = row.id in highlighted
        faded = bool(highlighted) and not emphasised
        colour = KIND_COLOURS.get(row.kind, "#999999")
        specs.append({
            "location": [row.lat, row.lon],
            "style": {
                "radius": marker_radius(row.mentions),
                "color": SELECTED_OUTLINE if emphasised else colour,
                "weight": 4 if emphasised else 1.5,
                "fill": True,
                "fillColor": colour,
                "fillOpacity": 0.25 if faded else 0.8,
                "opacity": 0.4 if faded else 1.0,
            },
            "tooltip": escape_html(tooltip_for(row.name, row.id, row.mentions)),
            "emphasised": emphasised,
        })
    return specs


def build_marker_layer(
    places: Sequence[PlaceRow],
    *,
    selected_place: str | None = None,
    highlighted: Iterable[str] = (),
    name: str = "Places",
    asset_base_url: str | None = DEFAULT_ASSET_BASE_URL,
) -> folium.FeatureGroup:
    """A feature group with one circle marker per place, sized by mentions and coloured by
    kind (see ``marker_specs``), near-overlapping ones clustered (see ``PlaceMarkers``).

    ``asset_base_url`` is where the cluster plugin's vendored copy is served (None: its CDN).
    """
    layer = folium.FeatureGroup(name=name)
    PlaceMarkers(
        marker_specs(places, selected_place=selected_place, highlighted=highlighted),
        asset_base_url=asset_base_url,
    ).add_to(layer)
    return layer


def fit_view(
    places: Sequence[PlaceRow], *, max_zoom: int = 7
) -> tuple[tuple[float, float], int]:
    """A centre and zoom that show all the given places (st_folium takes centre and zoom,
    not bounds, without remounting the map)."""
    corners = bounds_of(list(places))
    if corners is None:
        return WORLD_VIEW
    (south, west), (north, east) = corners
    span = max(north - south, (east - west) / 1.5, 0.01)
    zoom = int(max(1, min(max_zoom, math.floor(math.log2(300 / span)))))
    return ((south + north) / 2, (west + east) / 2), zoom


def build_map(
    analyses: Sequence[Analysis],
    *,
    selected_place: str | None = None,
    highlighted: Iterable[str] = (),
    online_tiles: bool = False,
    asset_base_url: str | None = DEFAULT_ASSET_BASE_URL,
) -> folium.Map:
    """A complete map of the analyses' places, fitted to them."""
    rows = place_rows(list(analyses))
    m = build_base_map(online_tiles=online_tiles, asset_base_url=asset_base_url)
    build_marker_layer(
        rows, selected_place=selected_place, highlighted=highlighted, asset_base_url=asset_base_url
    ).add_to(m)
    corners = bounds_of(rows)
    if corners is not None:
        m.fit_bounds([list(corners[0]), list(corners[1])], max_zoom=7)
    return m

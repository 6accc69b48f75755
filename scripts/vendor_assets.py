"""Fetch the front-end assets and the basemap once, reproducibly, from the npm registry.

    .venv/bin/python scripts/vendor_assets.py

Runs ``npm pack <name>@<version>`` for every package in
``placeline.render.assets.VENDORED_PACKAGES`` and copies the listed files and the licence into
``static/vendor/<folder>/``; then converts ``world-atlas@2.0.2/countries-110m.json`` (TopoJSON)
to GeoJSON in ``data/basemap/``. The results are committed, so the app never needs this script
or the network at run time; rerun it only to change a version.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from placeline.render.assets import (
    BASEMAP_DIR,
    BASEMAP_FILE,
    VENDOR_DIR,
    VENDORED_PACKAGES,
)

WORLD_ATLAS = "world-atlas@2.0.2"
COORDINATE_DECIMALS = 2  # ~1 km: far below what a 1:110m outline can show


def npm_pack(spec: str, workdir: Path) -> tarfile.TarFile:
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True,
        text=True,
    )
    return tarfile.open(workdir / out.stdout.strip().splitlines()[-1])


def extract(tar: tarfile.TarFile, member: str) -> bytes:
    handle = tar.extractfile(f"package/{member}")
    if handle is None:
        raise SystemExit(f"{member} is not a file in the tarball")
    return handle.read()


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute coordinates of every arc (delta-decoded through the quantisation transform)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def stitch_ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """One ring from arc indices; a negative index ~i means arc i reversed (TopoJSON spec)."""
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points if not ring else points[1:])  # arcs share their end points
    rounded = [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in ring]
    deduplicated = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    if deduplicated[0] != deduplicated[-1]:
        deduplicated.append(deduplicated[0])
    return deduplicated


def topojson_to_geojson(topology: dict, object_name: str) -> dict:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [[stitch_ring(ring, arcs) for ring in polygon] for polygon in polygons]
        rings = [[r for r in polygon if len(r) >= 4] for polygon in rings]
        rings = [polygon for polygon in rings if polygon]
        if not rings:
            continue
        features.append({
            "type": "Feature",
            "id": geometry.get("id"),
            "properties": {"name": geometry.get("properties", {}).get("name", "")},
            "geometry": {"type": "MultiPolygon", "coordinates": rings},
        })
    return {"type": "FeatureCollection", "features": features}


def vendor_packages(workdir: Path) -> list[str]:
    lines = []
    if VENDOR_DIR.exists():
        shutil.rmtree(VENDOR_DIR)
    for package in VENDORED_PACKAGES:
        tar = npm_pack(package.npm, workdir)
        target = VENDOR_DIR / package.folder
        for member, local in (*package.files, (package.licence, package.licence)):
            data = extract(tar, member)
            (target / local).parent.mkdir(parents=True, exist_ok=True)
            (target / local).write_bytes(data)
            lines.append(f"| {package.npm} | {package.folder}/{local} | "
                         f"{hashlib.sha256(data).hexdigest()[:16]} |")
    return lines


def write_basemap(workdir: Path) -> None:
    tar = npm_pack(WORLD_ATLAS, workdir)
    topology = json.loads(extract(tar, "countries-110m.json"))
    geojson = topojson_to_geojson(topology, "countries")
    BASEMAP_DIR.mkdir(parents=True, exist_ok=True)
    BASEMAP_FILE.write_text(json.dumps(geojson, separators=(",", ":")) + "\n", encoding="utf-8")
    (BASEMAP_DIR / "LICENSE-world-atlas.txt").write_bytes(extract(tar, "LICENSE"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rows = vendor_packages(workdir)
        write_basemap(workdir)
    manifest = VENDOR_DIR / "README.md"
    manifest.write_text(
        "# Vendored front-end assets\n\n"
        "Written by `scripts/vendor_assets.py` from the npm registry (do not edit by hand).\n"
        "Each folder keeps the package's licence file beside the code.\n\n"
        "| npm package | file | sha256 (first 16) |\n| --- | --- | --- |\n"
        + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    print(f"vendored {len(VENDORED_PACKAGES)} packages into {VENDOR_DIR.relative_to(REPO)}; "
          f"basemap in {BASEMAP_FILE.relative_to(REPO)}")


if __name__ == "__main__":
    main()

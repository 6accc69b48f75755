"""House rule: the package never imports the UI (pages call the package, never the reverse)."""

from __future__ import annotations

import ast

from tests.conftest import REPO


def test_package_never_imports_streamlit() -> None:
    offenders = []
    for path in (REPO / "placeline").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in {"streamlit", "streamlit_folium"} for name in names):
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []

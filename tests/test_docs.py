"""The README is part of the product: every setting it does not document is a bug."""

from __future__ import annotations

import re

from tests.conftest import REPO


def test_every_environment_setting_is_documented() -> None:
    settings_source = (REPO / "placeline" / "settings.py").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    read = set(re.findall(r'env\[?\.?(?:get\()?"(PLACELINE_[A-Z_]+)"', settings_source))
    assert read, "no PLACELINE_* variables found in settings.py"
    undocumented = {name for name in read if f"`{name}`" not in readme}
    assert undocumented == set()


def test_readme_quickstart_commands_exist_in_the_makefile() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    targets = re.findall(r"^make (\w+)", quickstart, flags=re.MULTILINE)
    assert targets == ["run", "test"]
    for target in targets:
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.MULTILINE), ".ci/run must run the README's test command"

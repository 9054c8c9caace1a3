"""bench/README.md is the map of bench/: every script in its table, so a reader finds each one there."""

import re

from bench.harness import ROOT


def test_the_bench_readme_names_every_script():
    readme = (ROOT / "bench" / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([\w/.]+)` \|", readme, re.MULTILINE))
    scripts = {path.name for path in (ROOT / "bench").glob("*.py") if path.name != "__init__.py"}
    assert scripts - listed == set()

"""Files a reader can hold in their head: none over 300 lines, migrations and generated or vendored files aside."""

import shutil
import subprocess

import pytest

from bench.harness import ROOT

MAX_LINES = 300
# Written by tools, not by people: migrations, vendored files, npm's lock file, translation catalogues.
GENERATED_FOLDERS = ("migrations", "vendor")
GENERATED_FILES = ("package-lock.json", ".po")


def test_no_file_is_over_300_lines():
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    tracked = subprocess.run([git, "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    too_long = {}
    for name in tracked.splitlines():
        path = ROOT / name
        generated = set(path.relative_to(ROOT).parts[:-1]) & set(GENERATED_FOLDERS) or name.endswith(GENERATED_FILES)
        if generated or not path.is_file():
            continue
        lines = path.read_bytes().count(b"\n")
        if lines > MAX_LINES:
            too_long[name] = lines
    assert too_long == {}

"""The patient side in Spanish: the catalogue in locale/es is complete, current and compiled.

A patient-facing template that gains text outside {% translate %} fails here; so does a marked string
that nobody translated, a catalogue that no longer matches the code (run `make messages`), and a
compiled catalogue older than its .po (also `make messages`). The admin stays in English: strings only
the admin and staff emails use may stay untranslated.
"""

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
TEMPLATES = ROOT / "templates"
# Templates only staff read: the admin's, and the emails to editors.
STAFF_TEMPLATES = ("admin/", "articles/email/", "appointments/email/staff_notification.txt")
# Python modules whose strings patients read: the form and its choices, the feed, the language names.
PATIENT_MODULES = ("appointments/forms.py", "appointments/models.py", "articles/feeds.py", "clinic/settings.py")
# Text a page may show untranslated: numbers and punctuation, and a DOI's scheme name before its number.
ALLOWED = re.compile(r"^([\W\d_]|doi:)*$")


def patient_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in (".html", ".txt")
        and not str(path.relative_to(TEMPLATES)).startswith(STAFF_TEMPLATES)
        and path.name != "robots.txt"
    ]


class _ShownText(HTMLParser):
    """The text of a page people read: between tags, and in the attributes read aloud or shown."""

    READ = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        self.skipping += tag in ("script", "style")
        self.shown += [attributes[name] or "" for name in self.READ if name in attributes]
        if tag == "meta" and attributes.get("name") == "description":
            self.shown.append(attributes.get("content") or "")

    def handle_endtag(self, tag) -> None:
        self.skipping -= tag in ("script", "style") and self.skipping > 0

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.shown.append(data)


def untranslated_text(source: str) -> list[str]:
    """Words a template shows outside {% translate %} and {% blocktranslate %}."""
    source = re.sub(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", " ", source, flags=re.S)
    # Tags and variables go without a trace (<{% if %}div{% endif %} stays a tag): what they show is data.
    source = re.sub(r"{%.*?%}|{{.*?}}", "", source, flags=re.S)
    parser = _ShownText()
    parser.feed(source)
    parser.close()
    words = (" ".join(piece.split()) for piece in parser.shown)
    return [text for text in words if text and not ALLOWED.match(text)]


@pytest.mark.parametrize("template", patient_templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_a_patient_facing_template_has_no_text_outside_translate(template):
    assert untranslated_text(template.read_text(encoding="utf-8")) == []


def test_the_check_finds_text_a_template_gains_outside_translate():
    source = '{% load i18n %}<p>{% translate "Hello" %}</p><p>Call us today</p><img alt="A doctor" src="x.png">'
    assert sorted(untranslated_text(source)) == ["A doctor", "Call us today"]
    assert untranslated_text("{% blocktranslate %}Call {{ n }}{% endblocktranslate %} · 911") == []


def _patient_facing(entry: polib.POEntry) -> bool:
    files = {path for path, _line in entry.occurrences}
    templates = {path.removeprefix("templates/") for path in files if path.startswith("templates/")}
    return bool(files & set(PATIENT_MODULES)) or any(not path.startswith(STAFF_TEMPLATES) for path in templates)


def test_every_string_a_patient_reads_is_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in catalogue if _patient_facing(entry) and not entry.translated()]
    assert missing == [], "untranslated in locale/es/LC_MESSAGES/django.po (fill in msgstr, then `make messages`)"


def test_the_compiled_catalogue_matches_its_source():
    source = {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(CATALOGUE)) if entry.translated()}
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(CATALOGUE.with_suffix(".mo")))}
    compiled.pop((None, ""), None)  # the header
    assert set(compiled) == set(source), "locale/es/LC_MESSAGES/django.mo is stale: run `make messages`"
    for key, entry in source.items():
        assert (compiled[key].msgstr, compiled[key].msgstr_plural) == (entry.msgstr, entry.msgstr_plural), key


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed (apt-get install gettext)")
def test_the_catalogue_holds_every_string_the_code_marks(tmp_path):
    """makemessages on a copy of the code gives the same strings as the committed catalogue."""
    ignore = shutil.ignore_patterns(".*", "__pycache__", "node_modules", "staticfiles", "media", "*.sqlite3*")
    shutil.copytree(ROOT, tmp_path / "code", ignore=ignore, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--add-location=file"],
        cwd=tmp_path / "code",
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    fresh = {
        (entry.msgctxt, entry.msgid) for entry in polib.pofile(str(tmp_path / "code" / CATALOGUE.relative_to(ROOT)))
    }
    committed = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    assert fresh == committed, "locale/es/LC_MESSAGES/django.po is out of date: run `make messages`"

"""The article editor under the site's Content-Security-Policy, which allows no inline style.

tiptap, inside django-prose-editor's editor.js, adds its base CSS to the page as a <style> element
without a nonce (django-prose-editor passes none on). Rather than allow every inline style, the edit
pages allow exactly that text, by its hash, read from the file we serve; the public pages' policy is
unchanged. A new release that changes the text changes the hash with it (tests/browser checks the
page has no CSP error).
"""

import base64
import hashlib
import re
from functools import cache

from django.contrib.staticfiles import finders

EDITOR_SCRIPT = "django_prose_editor/editor.js"
# The CSS is one JavaScript template literal, without ${...} or escapes, starting with this rule.
_INJECTED_CSS = re.compile(r"`(\.ProseMirror \{[^`$\\]*)`")


@cache
def injected_style_source() -> str:
    """The CSP source ('sha256-…') for the one <style> element the editor injects."""
    with open(finders.find(EDITOR_SCRIPT), encoding="utf-8") as script:
        css = _INJECTED_CSS.search(script.read()).group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"

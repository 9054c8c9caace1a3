"""The one place article HTML is cleaned: an allow-list, applied before storing and again when rendering."""

import re
from html.parser import HTMLParser

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "a", "img", "figure", "figcaption", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# What the WYSIWYG editor (django-prose-editor) offers. Everything it can
# produce is inside the allow-list above; anything else sent is stripped.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
    "Figure": True,
    "Image": True,
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}


# A picture's address on this site: a path from the root, nothing a browser could read as another host.
# Browsers drop tabs and newlines, read a backslash as a slash and "//host" as another host, so any
# whitespace, control character or backslash is refused, as is a second slash (or its %-encoding) first.
_SAME_SITE_PATH = re.compile(r"/(?![/\\]|%2f|%5c)[^\s\\\x00-\x1f\x7f]*", re.IGNORECASE)


def is_same_site_picture(src: str) -> bool:
    return _SAME_SITE_PATH.fullmatch(src) is not None and "%5c" not in src.lower()


def _same_site_images_only(tag: str, attribute: str, value: str) -> str | None:
    # Pictures come from this site's own uploads: nothing is loaded from another host.
    if tag == "img" and attribute == "src" and not is_same_site_picture(value):
        return None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_same_site_images_only,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


class _ImageCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def _images(html: str) -> list[dict[str, str | None]]:
    collector = _ImageCollector()
    collector.feed(html)
    collector.close()
    return collector.images


def images_without_alt(html: str) -> list[str]:
    """The sources of the pictures in `html` that have no description."""
    return [image.get("src") or "" for image in _images(html) if not (image.get("alt") or "").strip()]


def pictures_from_elsewhere(html: str) -> list[str]:
    """The sources of the pictures in `html` that are not on this site (sanitize_html would drop them)."""
    return [src for image in _images(html) if not is_same_site_picture(src := image.get("src") or "")]


def render_safe_html(html: str) -> SafeString:
    return mark_safe(sanitize_html(html))  # noqa: S308 - cleaned by the allow-list just above

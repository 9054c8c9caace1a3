from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


@register.filter
def message_text(value) -> SafeString:
    """Escape a message for a text node or a double-quoted attribute.

    Unlike Django's escape it leaves the apostrophe alone, so
    "This isn't a valid phone number." reaches the page byte for byte.
    """
    return mark_safe(str(value).translate(_TEXT_ESCAPES))  # noqa: S308 - every special char above is escaped

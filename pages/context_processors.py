from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.utils.safestring import mark_safe


@lru_cache(maxsize=8)
def _tel_href(phone: str, region: str) -> str:
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clinic(request) -> dict:
    """The clinic's name and contact details, for every template."""
    return {
        "clinic": settings.CLINIC,
        "clinic_tel_href": _tel_href(settings.CLINIC["PHONE"], settings.PHONE_REGION),
        # Our own file, read once at start-up; its hash is in the CSP (clinic/settings.py).
        "a11y_preload_script": mark_safe(settings.A11Y_PRELOAD_SCRIPT),  # noqa: S308
    }


def page_cache_placeholders(request) -> dict:
    """While a page is being cached, {% csrf_token %} renders a placeholder (pages/page_cache.py)."""
    from .page_cache import placeholders  # the page cache needs the article models; load it lazily

    return placeholders(request) or {}

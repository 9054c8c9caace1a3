from functools import lru_cache

from django.conf import settings
from django.utils.safestring import mark_safe

from . import details, page_cache, phones


@lru_cache(maxsize=8)
def _tel_href(phone: str, region: str) -> str:
    return phones.tel_href(phone)


def clinic(request) -> dict:
    """The clinic's name and contact details (edited in the admin: clinic/details.py), for every template."""
    clinic = details.current()
    return {
        "clinic": clinic,
        "clinic_tel_href": _tel_href(clinic["PHONE"], settings.PHONE_REGION),
        # Our own file, read once at start-up; its hash is in the CSP (clinic/settings.py).
        "a11y_preload_script": mark_safe(settings.A11Y_PRELOAD_SCRIPT),  # noqa: S308
    }


def page_cache_placeholders(request) -> dict:
    """While a page is being cached, {% csrf_token %} renders a placeholder (clinic/page_cache.py)."""
    return page_cache.placeholders(request) or {}

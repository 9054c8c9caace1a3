"""The languages the patient side speaks (settings.LANGUAGES): English at the plain paths, Spanish under /es/."""

from django.conf import settings
from django.utils.translation import get_language


def page_language() -> str:
    """The language of the page being shown ("en" outside a request): a code of settings.LANGUAGES."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

"""The page in each language the site speaks: the language switcher and the hreflang alternates of base.html."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.text import capfirst
from django.utils.translation import get_language_info, override

from clinic.languages import page_language

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_languages(context) -> list[dict]:
    """Each language with this page's address in it (None where the page has no such version), current first.

    An article's versions are its own (each has its own slug); any other page is at the same path under
    the other language's prefix. `href` is where the switcher leads: the version, else that language's home.
    """
    request = context["request"]
    current = page_language()
    article = context.get("article")
    if "exception" in context and "request_path" in context:  # Django's 404 and 403 pages: no such page anywhere
        versions = {}
    elif hasattr(article, "versions") and not context.get("preview"):
        versions = article.versions
    else:
        path = request.get_full_path()
        routed = getattr(request, "resolver_match", None) is not None
        versions = {code: translate_url(path, code) for code, _name in settings.LANGUAGES} if routed else {}
    languages = []
    for code, _name in settings.LANGUAGES:
        url = versions.get(code)
        with override(code):
            home = reverse("pages:home")
        languages.append({
            "code": code,
            "name": capfirst(get_language_info(code)["name_local"]),
            "url": request.build_absolute_uri(url) if url else None,
            "href": url or home,
            "current": code == current,
        })  # fmt: skip
    return sorted(languages, key=lambda language: not language["current"])

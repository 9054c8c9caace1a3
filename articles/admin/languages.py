"""An article's versions in the site's other languages, side by side in the editor's form."""

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..models import Article


class LanguageVersionsMixin:
    """The "versions" line of the article form: each version's link, and a link to write a missing one."""

    @admin.display(description=_("versions in other languages"))
    def language_versions(self, obj: Article) -> str:
        if obj is None or obj.pk is None:
            return _("Save the article first; then you can write its version in another language.")
        original = obj.translation_of or obj
        versions = Article.objects.filter(Q(pk=original.pk) | Q(translation_of=original)).exclude(pk=obj.pk)
        names = dict(settings.LANGUAGES)
        links = format_html_join(
            " · ",
            '<a href="{}">{}: {}</a>',
            (
                (reverse("admin:articles_article_change", args=[version.pk]), names[version.language], version.title)
                for version in versions
            ),
        )
        missing = set(names) - {obj.language} - {version.language for version in versions}
        add = reverse("admin:articles_article_add")
        new = format_html_join(
            " · ",
            '<a href="{}?{}">{}</a>',
            (
                (
                    add,
                    urlencode({"language": code, "translation_of": original.pk}),
                    _("Write the %(language)s version") % {"language": names[code]},
                )
                for code in sorted(missing)
            ),
        )
        return format_html("{}{}{}", links, " · " if links and new else "", new) or "—"

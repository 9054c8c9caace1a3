"""What articles are filed under (categories, tags) and credited to (contributors): each shared by many.

Categories and tags are shared by an article's language versions; each has its words in Spanish beside the
English (name_es), which the Spanish pages show."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clinic.languages import page_language

SPANISH_HELP = _("Shown on the Spanish pages; left empty, they show the English.")


def in_page_language(english: str, spanish: str) -> str:
    """A category's or tag's words as the page's language has them (the English where no Spanish is written)."""
    return spanish if spanish and page_language() == "es" else english


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Shown at the top of the category page."))
    name_es = models.CharField(_("name in Spanish"), max_length=80, blank=True, help_text=SPANISH_HELP)
    description_es = models.TextField(_("description in Spanish"), blank=True, help_text=SPANISH_HELP)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:category", kwargs={"slug": self.slug})

    @property
    def local_name(self) -> str:
        return in_page_language(self.name, self.name_es)

    @property
    def local_description(self) -> str:
        return in_page_language(self.description, self.description_es)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_es = models.CharField(_("name in Spanish"), max_length=60, blank=True, help_text=SPANISH_HELP)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})

    @property
    def local_name(self) -> str:
        return in_page_language(self.name, self.name_es)


class Contributor(models.Model):
    """A person named on an article: its author or its medical reviewer.

    A medical reviewer's staff account is linked here: their approvals are signed with this name and
    these credentials, which readers see ("Medically reviewed by …").
    """

    name = models.CharField(_("name"), max_length=120)
    credentials = models.CharField(
        _("credentials"), max_length=120, blank=True, help_text=_("For example: MD, board-certified rheumatologist.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
        help_text=_("A medical reviewer's sign-in: what they approve is signed with this name and credentials."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

"""What an article cites: its references, shown under it and in its schema.org data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

REFERENCE_COLUMNS = {name: name for name in ("id", "position", "title", "source", "year", "url", "doi")}


class Reference(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="references")
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(_("source"), max_length=200, help_text=_("Journal, publisher or organization."))
    year = models.PositiveSmallIntegerField(_("year"))
    url = models.URLField(_("URL"), blank=True)
    doi = models.CharField(_("DOI"), max_length=100, blank=True, help_text=_("For example 10.1000/xyz123."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.source}, {self.year})"

    @property
    def link(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url

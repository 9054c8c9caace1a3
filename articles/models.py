from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What the public may see: published, or scheduled and its time has come."""
        return self.filter(_published_q())

    def content_version(self) -> str:
        """Changes whenever what the public sees may have changed, in one aggregate query:
        an edit or a publish (updated_at), a deletion (the count), a scheduled article going live."""
        stats = self.aggregate(changed=Max("updated_at"), live=Count("pk", filter=_published_q()), total=Count("pk"))
        changed = stats["changed"].timestamp() if stats["changed"] else 0
        return f"{changed}-{stats['live']}-{stats['total']}"


def _published_q() -> Q:
    return Q(status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED], published_at__lte=timezone.now())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("One or two sentences, used in lists and search results.")
    )
    body = models.TextField(_("body"), help_text=_("The article text."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("When the article goes live. A future date with status Scheduled publishes it then."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

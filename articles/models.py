from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from .html import EDITOR_EXTENSIONS, render_safe_html, sanitize_html

WORDS_PER_MINUTE = 200


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Shown at the top of the category page."))

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Contributor(models.Model):
    """A person named on an article: its author or its medical reviewer."""

    name = models.CharField(_("name"), max_length=120)
    credentials = models.CharField(
        _("credentials"), max_length=120, blank=True, help_text=_("For example: MD, board-certified rheumatologist.")
    )

    class Meta:
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


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

    def touch(self) -> int:
        """Mark these articles changed now: something shown on their pages changed around them
        (a renamed category or contributor), so cached pages, the sitemap and the feed renew."""
        return self.update(updated_at=timezone.now())

    def review_overdue(self) -> "ArticleQuerySet":
        """Live or upcoming articles whose medical review date has passed."""
        return self.exclude(status=Article.Status.ARCHIVED).filter(next_review_due__lt=timezone.localdate())

    def for_cards(self) -> "ArticleQuerySet":
        """What a list of article cards needs, in one query."""
        return self.only("title", "slug", "summary", "published_at")


def _published_q() -> Q:
    return Q(status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED], published_at__lte=timezone.now())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class CallToAction(models.TextChoices):
        APPOINTMENT = "appointment", _("Appointment request form")
        PHONE = "phone", _("Call the clinic")
        NONE = "none", _("None")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The article's web address. Changing it later keeps the old address working."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences, used in lists, the feed, search results and search engines."),
    )
    body = ProseEditorField(_("body"), extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    hero_image = models.ImageField(
        _("hero image"),
        upload_to="articles/%Y/",
        blank=True,
        width_field="hero_image_width",
        height_field="hero_image_height",
    )
    hero_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_image_alt = models.CharField(
        _("hero image alt text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it. Required when there is an image."),
    )
    author = models.ForeignKey(
        Contributor,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles_written",
    )
    medical_reviewer = models.ForeignKey(
        Contributor,
        verbose_name=_("medical reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles_reviewed",
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(
        _("next review due"), null=True, blank=True, help_text=_("After this date the article shows as overdue.")
    )
    call_to_action = models.CharField(
        _("call to action"),
        max_length=12,
        choices=CallToAction.choices,
        default=CallToAction.APPOINTMENT,
        help_text=_("What readers are offered under the article."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("When the article goes live. A future date with status Scheduled publishes it then."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The tags and references as readers see them, so the public page needs no query for them:
    # written only by refresh_extras(), which everything that changes tags or references calls.
    extras = models.JSONField(_("tags and references as published"), default=dict, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_image_alt=""), name="article_hero_image_has_alt_text"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def get_preview_url(self) -> str:
        return reverse("articles:preview", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_review_overdue(self) -> bool:
        return (
            self.status != self.Status.ARCHIVED
            and self.next_review_due is not None
            and self.next_review_due < timezone.localdate()
        )

    @property
    def reading_minutes(self) -> int:
        return max(1, round(len(strip_tags(self.body).split()) / WORDS_PER_MINUTE))

    @property
    def safe_body(self) -> str:
        """The body as HTML, cleaned again on the way out in case a row was written around the form."""
        return render_safe_html(self.body)

    def refresh_extras(self) -> None:
        """Copy the tags and references into `extras` (and mark the article changed, so cached pages renew).
        Call it after anything that changes them: the public page reads only the copy."""
        self.extras = extras_for(self.tags.all(), self.references.all())
        self.save(update_fields=["extras", "updated_at"])

    @property
    def listed_tags(self) -> list["Tag"]:
        """The tags as of the last refresh_extras(), in order, without a query."""
        return [Tag(pk=tag["id"], name=tag["name"], slug=tag["slug"]) for tag in self.extras.get("tags", [])]

    @property
    def listed_references(self) -> list["Reference"]:
        """The references as of the last refresh_extras(), in order, without a query."""
        return [Reference(**reference) for reference in self.extras.get("references", [])]

    def related(self, limit: int = 3) -> "ArticleQuerySet":
        """Other public articles in the same category or sharing a tag."""
        tag_ids = [tag.pk for tag in self.listed_tags]
        if self.category_id is None and not tag_ids:
            return Article.objects.none()
        match = Q(tags__in=tag_ids) if tag_ids else Q()
        if self.category_id:
            match |= Q(category_id=self.category_id)
        ids = Article.objects.published().filter(match).exclude(pk=self.pk).values("pk")
        return Article.objects.filter(pk__in=ids).for_cards()[:limit]

    def remember_old_slug(self, old_slug: str) -> None:
        """Keep an address readers may have bookmarked: the old slug redirects here."""
        if old_slug and old_slug != self.slug:
            SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": self})
        SlugRedirect.objects.filter(old_slug=self.slug).delete()


def extras_for(tags, references) -> dict:
    """What Article.extras holds for these tags and references (migration 0003 keeps a copy of this)."""
    return {
        "tags": [{"id": tag.pk, "name": tag.name, "slug": tag.slug} for tag in tags],
        "references": [
            {"title": ref.title, "source": ref.source, "year": ref.year, "url": ref.url, "doi": ref.doi}
            for ref in references
        ],
    }


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(_("source"), max_length=200, help_text=_("Journal, publisher or organization."))
    year = models.PositiveSmallIntegerField(_("year"))
    url = models.URLField(_("URL"), blank=True)
    doi = models.CharField(_("DOI"), max_length=100, blank=True, help_text=_("For example 10.1000/xyz123."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

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


class SlugRedirect(models.Model):
    """An article's earlier address, answered with a permanent redirect."""

    old_slug = models.SlugField(_("old slug"), max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return self.old_slug


class BodyImage(models.Model):
    """A picture uploaded for use inside article text: editors paste its address into the editor's image dialog."""

    title = models.CharField(_("title"), max_length=120, help_text=_("To find the picture again."))
    image = models.ImageField(_("image"), upload_to="articles/body/%Y/")
    alt_text = models.CharField(
        _("alt text"), max_length=250, help_text=_("Describe the picture for people who cannot see it.")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("picture for article text")
        verbose_name_plural = _("pictures for article text")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

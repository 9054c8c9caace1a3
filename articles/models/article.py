from django.db import connection, models
from django.db.models import Aggregate, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from clinic.media import UniqueUploadName, image_extension_validator

from ..html import EDITOR_EXTENSIONS, render_safe_html, sanitize_html
from .filing import Category, Contributor, Tag

WORDS_PER_MINUTE = 200


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What the public may see: published, or scheduled and its time has come."""
        return self.filter(_published_q())

    def review_overdue(self) -> "ArticleQuerySet":
        """Live or upcoming articles whose medical review date has passed."""
        return self.exclude(status=Article.Status.ARCHIVED).filter(next_review_due__lt=timezone.localdate())

    def for_cards(self) -> "ArticleQuerySet":
        """What a list of article cards needs, in one query."""
        return self.only("title", "slug", "summary", "published_at")

    def for_reading(self) -> "ArticleQuerySet":
        """What the article page shows, in one query: its category and people joined, its tags and
        references read from their tables as JSON arrays beside each article (listed_tags, listed_references)."""
        tags = Tag.objects.filter(articles=OuterRef("pk")).order_by().values("articles")
        references = Reference.objects.filter(article=OuterRef("pk")).order_by().values("article")
        return self.select_related("category", "author", "medical_reviewer").annotate(
            tag_rows=Subquery(
                tags.annotate(rows=JSONArrayAgg(JSONObject(id="pk", name="name", slug="slug"))).values("rows"),
                output_field=JSONField(),
            ),
            reference_rows=Subquery(
                references.annotate(rows=JSONArrayAgg(JSONObject(**REFERENCE_COLUMNS))).values("rows"),
                output_field=JSONField(),
            ),
        )


REFERENCE_COLUMNS = {name: name for name in ("id", "position", "title", "source", "year", "url", "doi")}


class JSONArrayAgg(Aggregate):
    """The rows' values gathered into one JSON array (SQLite and PostgreSQL alike)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


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
        upload_to=UniqueUploadName("articles/%Y/"),
        validators=[image_extension_validator],
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

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        permissions = [("review_article", _("Can approve an article or send it back (medical review)"))]
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

    @cached_property
    def listed_tags(self) -> list[Tag]:
        """The tags in order: read with the article by for_reading(), else one query."""
        if not hasattr(self, "tag_rows"):
            return list(self.tags.all())
        tags = [Tag(**row) for row in self.tag_rows or []]
        return sorted(tags, key=lambda tag: tag.name)

    @cached_property
    def listed_references(self) -> list["Reference"]:
        """The references in order: read with the article by for_reading(), else one query."""
        if not hasattr(self, "reference_rows"):
            return list(self.references.all())
        references = [Reference(article_id=self.pk, **row) for row in self.reference_rows or []]
        return sorted(references, key=lambda reference: (reference.position, reference.pk))

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


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
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


def content_version_sql() -> tuple[list[str], list]:
    """For PAGE_CACHE_VERSIONS (clinic/page_cache.py asks every part in one query): figures that change
    whenever what the public pages show of articles may have changed — a row added to, removed from or
    saved in any table an article is shown with (an edit, a publish, a deletion, a renamed tag, a
    reviewer's approval or new credentials), or a scheduled article going live."""
    # Only table and column names from the models' metadata, quoted by the backend, are written
    # into the SQL; the one value (the time, for what is live now) is a parameter.
    quote = connection.ops.quote_name
    live_sql, params = Article.objects.published().order_by().values("pk").query.sql_with_params()
    columns = [f"(SELECT COUNT(*) FROM ({live_sql}) live)"]  # noqa: S608
    for model in (Article, Article.tags.through, Category, Tag, Contributor, Reference):
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX({pk}) FROM {table})"]  # noqa: S608
        if any(field.name == "updated_at" for field in model._meta.fields):
            columns.append(f"(SELECT MAX({quote('updated_at')}) FROM {table})")  # noqa: S608
    return columns, list(params)

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Aggregate, JSONField, OuterRef, Q, Subquery, Value
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_prose_editor.fields import ProseEditorField

from clinic.languages import page_language
from clinic.media import UniqueUploadName, image_extension_validator

from ..html import EDITOR_EXTENSIONS, render_safe_html, sanitize_html
from .addresses import SlugRedirect
from .filing import Category, Contributor, Tag
from .references import REFERENCE_COLUMNS, Reference

WORDS_PER_MINUTE = 200


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """What the public may see: published, or scheduled and its time has come."""
        return self.filter(_published_q())

    def in_language(self, language: str | None = None) -> "ArticleQuerySet":
        """The versions written in `language` (the language of the page being shown, by default)."""
        return self.filter(language=language or page_language())

    def review_overdue(self) -> "ArticleQuerySet":
        """Live or upcoming articles whose medical review date has passed."""
        return self.exclude(status=Article.Status.ARCHIVED).filter(next_review_due__lt=timezone.localdate())

    def for_cards(self) -> "ArticleQuerySet":
        """What a list of article cards needs, in one query."""
        return self.only("title", "slug", "language", "summary", "published_at")

    def with_other_versions(self) -> "ArticleQuerySet":
        """Each article with its other public language versions (its original, or the original's other
        translations) as a JSON array beside it (version_rows, read by Article.versions)."""
        siblings = Q(pk=OuterRef("translation_of")) | Q(translation_of=OuterRef("translation_of"))
        siblings |= Q(translation_of=OuterRef("pk"))
        versions = (
            Article.objects.published()
            .filter(siblings)
            .exclude(pk=OuterRef("pk"))
            .annotate(group=Value(1))
            .order_by()
            .values("group")
        )
        rows = versions.annotate(rows=JSONArrayAgg(JSONObject(language="language", slug="slug"))).values("rows")
        return self.annotate(version_rows=Subquery(rows, output_field=JSONField()))

    def for_reading(self) -> "ArticleQuerySet":
        """What the article page shows, in one query: its category and people joined, its tags and
        references read from their tables as JSON arrays beside each article (listed_tags, listed_references)."""
        tags = Tag.objects.filter(articles=OuterRef("pk")).order_by().values("articles")
        references = Reference.objects.filter(article=OuterRef("pk")).order_by().values("article")
        return (
            self.with_other_versions()
            .select_related("category", "author", "medical_reviewer")
            .annotate(
                tag_rows=Subquery(
                    tags.annotate(
                        rows=JSONArrayAgg(JSONObject(id="pk", name="name", name_es="name_es", slug="slug"))
                    ).values("rows"),
                    output_field=JSONField(),
                ),
                reference_rows=Subquery(
                    references.annotate(rows=JSONArrayAgg(JSONObject(**REFERENCE_COLUMNS))).values("rows"),
                    output_field=JSONField(),
                ),
            )
        )


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

    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="en")
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        limit_choices_to={"translation_of": None},
        help_text=_(
            "For a version in another language: the article it translates. Each version is reviewed on its own."
        ),
    )
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
        indexes = [models.Index(fields=["language", "status", "-published_at"])]
        permissions = [("review_article", _("Can approve an article or send it back (medical review)"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_image_alt=""), name="article_hero_image_has_alt_text"
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="article_one_version_per_language",
                violation_error_message=_("That article already has a version in this language."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its address in its own language: /articles/<slug>/, or /es/articles/<slug>/."""
        with override(self.language):
            return reverse("articles:detail", kwargs={"slug": self.slug})

    @cached_property
    def versions(self) -> dict[str, str]:
        """{language: address} of this article and its public versions in other languages: the others read by
        for_reading() or with_other_versions(), else in one query."""
        if hasattr(self, "version_rows"):
            rows = [Article(**row) for row in self.version_rows or []]
        else:
            original = self.translation_of_id or self.pk
            rows = Article.objects.published().filter(Q(pk=original) | Q(translation_of=original)).exclude(pk=self.pk)
        return {version.language: version.get_absolute_url() for version in [self, *rows]}

    def clean(self) -> None:
        """One original, each translation in a language of its own: so every version names the same others."""
        translations = self.translations.all() if self.pk else Article.objects.none()
        if self.translation_of is not None and translations.exists():
            raise ValidationError({"translation_of": _("This article has translations, so it is an original.")})
        if self.translation_of is not None and self.translation_of.language == self.language:
            raise ValidationError(
                {"language": _("A translation is in another language than the article it translates.")}
            )
        if translations.filter(language=self.language).exists():
            raise ValidationError({"language": _("One of its translations is already in this language.")})

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
        ids = Article.objects.published().in_language(self.language).filter(match).exclude(pk=self.pk).values("pk")
        return Article.objects.filter(pk__in=ids).for_cards()[:limit]

    def remember_old_slug(self, old_slug: str) -> None:
        """Keep an address readers may have bookmarked: the old slug redirects here."""
        if old_slug and old_slug != self.slug:
            SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": self})
        SlugRedirect.objects.filter(old_slug=self.slug).delete()

"""What waits before readers see it: a live article's pending change, and the medical reviews of each version.

The article row is what the public sees. An edit of a live article (published or scheduled) is kept
as its pending change until it is published, as Wagtail keeps a live page's draft revision. A review
belongs to one article row (so each language version has its own) and, when it was asked for one,
to its pending change; an approval covers exactly the text it was given, by fingerprint
(articles/versions.py), so a later edit needs a new one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .article import Article
from .filing import Contributor


class PendingChange(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be published")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pending_changes")
    # The whole version readers would see: fields, tag ids and references (articles/versions.py).
    content = models.JSONField(_("content"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    closed_at = models.DateTimeField(_("published or discarded"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=Q(state="pending"), name="one_pending_change_per_article"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content.get('title', '')} ({self.get_state_display()})"


class ReviewQuerySet(models.QuerySet):
    def waiting(self) -> "ReviewQuerySet":
        """The reviewers' queue, oldest first."""
        return self.filter(state=Review.State.WAITING).order_by("submitted_at", "pk")

    def approved(self) -> "ReviewQuerySet":
        return self.filter(state=Review.State.APPROVED)


class Review(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    change = models.ForeignKey(
        PendingChange,
        verbose_name=_("pending change"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.WAITING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    note = models.TextField(_("note to the reviewer"), blank=True)
    # The decision: who (the name and credentials readers see, and the account that decided), when, on what text.
    reviewer = models.ForeignKey(
        Contributor, verbose_name=_("reviewer"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    fingerprint = models.CharField(_("text reviewed"), max_length=64, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("medical review")
        verbose_name_plural = _("medical reviews")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["article"], condition=Q(state="waiting"), name="one_waiting_review"),
        ]

    def __str__(self) -> str:
        return f"{self.article} — {self.get_state_display()}"

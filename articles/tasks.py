"""Emails to editors about their articles' medical review, sent by the task worker after the decision is committed.

An editor's email holds the article's title, the decision and the reviewer's comment: no patient data."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .models import Review

logger = logging.getLogger(__name__)


@task()
def tell_editor(review_id: int) -> None:
    """Email whoever submitted the article for review what the reviewer decided."""
    review = Review.objects.select_related("article", "submitted_by", "reviewer").filter(pk=review_id).first()
    if review is None or review.submitted_by is None or not review.submitted_by.email:
        return
    context = {
        "review": review,
        "article_url": settings.SITE_URL + reverse("admin:articles_article_change", args=[review.article_id]),
    }
    subject, body = render_to_string("articles/email/review_decision.txt", context).split("\n", 1)
    EmailMessage(subject=subject.strip(), body=body.lstrip("\n"), to=[review.submitted_by.email]).send()
    logger.info("Review %s: the editor was emailed.", review.pk)


def tell_editor_after_commit(review) -> None:
    def enqueue_review_email() -> None:  # named: Django logs a robust callback's __qualname__
        tell_editor.enqueue(review.pk)

    # A queue that is down costs nothing but the email: the decision is stored and shown in the admin.
    transaction.on_commit(enqueue_review_email, robust=True)

"""Drafts of live articles, medical review and publishing: the functions the admin (and tests) call.

- An edit of a live article (published or scheduled) waits as its pending change (save_edit); readers
  keep the live version until publish(). An edit of a draft or archived article is saved in place.
- An editor submits the version (the pending change, or the article itself) for review (submit); a
  reviewer — a user in Medical reviewers whose account is linked to a contributor with credentials,
  not its author nor who submitted it — approves it or sends it back with a comment (decide); the
  editor is emailed either way.
- publish() needs an approval of exactly this text (by fingerprint), and sets the page's "Medically
  reviewed by … — last reviewed …" line and the next review date from it. A superuser may publish an
  urgent correction without one: the page then has no reviewed line, and the text waits in the
  reviewers' queue until one approves it.
"""

from datetime import date

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import tasks
from .models import Article, Contributor, PendingChange, Review
from .versions import apply, content_of, fingerprint

LIVE = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)
PENDING_SAVED = gettext_lazy(
    "Your changes are saved and wait: readers see the published version until a medical reviewer approves "
    "the changes and they are published. Submit them for review when they are ready."
)


class Refused(Exception):
    """The step cannot be taken; the message says why, to the person who tried."""


def pending_change(article: Article) -> PendingChange | None:
    return article.pending_changes.filter(state=PendingChange.State.PENDING).first()


def current_version(article: Article) -> tuple[PendingChange | None, dict]:
    """What a review or a publish is about: the pending change if there is one, else the article's rows."""
    pending = pending_change(article)
    return pending, (pending.content if pending else content_of(article))


def approval_for(article: Article, content: dict) -> Review | None:
    """The latest approval of exactly this text, if any."""
    return article.reviews.approved().filter(fingerprint=fingerprint(content)).order_by("-decided_at").first()


def save_edit(article: Article, content: dict, *, by) -> PendingChange | None:
    """An edit of a live article: kept as its pending change (none if it matches what readers see)."""
    pending = pending_change(article)
    if content == content_of(article):
        if pending:
            discard(pending)
        return None
    if pending is None:
        return PendingChange.objects.create(article=article, content=content, saved_by=by)
    pending.content, pending.saved_by = content, by
    pending.save()
    return pending


def discard(pending: PendingChange) -> None:
    """Drop a pending change: readers keep the live version, and a review waiting for it is withdrawn."""
    pending.state, pending.closed_at = PendingChange.State.DISCARDED, timezone.now()
    pending.save()
    pending.reviews.filter(state=Review.State.WAITING).update(state=Review.State.WITHDRAWN)


def submit(article: Article, *, by, note: str = "") -> Review:
    pending, content = current_version(article)
    if article.reviews.waiting().exists():
        raise Refused(_("This article already waits for a medical reviewer."))
    if approval_for(article, content):
        raise Refused(_("A medical reviewer has already approved this text: it can be published."))
    return Review.objects.create(
        article=article, change=pending, submitted_by=by, submitted_at=timezone.now(), note=note
    )


def reviewer_for(user) -> Contributor:
    """The name and credentials a reviewer's approvals are signed with (their linked contributor)."""
    if not user.has_perm("articles.review_article"):
        raise Refused(_("Only medical reviewers approve articles or send them back."))
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None or not contributor.credentials.strip():
        raise Refused(
            _(
                "Readers see who reviewed an article and their credentials: ask an administrator to link your "
                "account to your contributor entry, with your credentials, first."
            )
        )
    return contributor


def decide(
    review: Review, *, by, approve: bool, seen: str, comment: str = "", next_review_due: date | None = None
) -> Review:
    """A reviewer's approval, or sending back with a comment, of the text they saw (`seen`: its fingerprint)."""
    if review.state != Review.State.WAITING:
        raise Refused(_("This review has already been decided or withdrawn."))
    contributor = reviewer_for(by)
    article = review.article
    pending, content = current_version(article)
    if fingerprint(content) != seen:
        raise Refused(_("The text changed while you were reading it: read it again before you decide."))
    if by.pk in (review.submitted_by_id, pending and pending.saved_by_id) or content["author"] == contributor.pk:
        raise Refused(_("You wrote or submitted this text: another medical reviewer checks it."))
    if not approve and not comment.strip():
        raise Refused(_("Say what needs changing: the editor reads your comment."))
    if approve and (next_review_due is None or next_review_due <= timezone.localdate()):
        raise Refused(_("Choose when the article should next be reviewed: a date after today."))
    review.state = Review.State.APPROVED if approve else Review.State.SENT_BACK
    review.reviewer, review.decided_by, review.decided_at = contributor, by, timezone.now()
    review.fingerprint, review.comment = fingerprint(content), comment.strip()
    review.next_review_due = next_review_due if approve else None
    with transaction.atomic():
        review.save()
        if approve and pending is None and article.status in LIVE:
            # The live text itself was approved (after an urgent correction, say): the page says so now.
            with reversion.create_revision():
                reversion.set_user(by)
                reversion.set_comment(_("Medical review approved."))
                _show_approval(article, review)
                article.save()
        tasks.tell_editor_after_commit(review)
    return review


def _show_approval(article: Article, approval: Review | None) -> None:
    article.medical_reviewer = approval.reviewer if approval else None
    article.last_reviewed = timezone.localdate(approval.decided_at) if approval else None
    article.next_review_due = approval.next_review_due if approval else None


def publish(article: Article, *, by, urgent: bool = False, when=None) -> list[str]:
    """Make the current version public (at `when`, if later): needs an approval, or a superuser's urgent call.

    Returns what could not be carried over, in words (a tag deleted since, say)."""
    pending, content = current_version(article)
    approval = approval_for(article, content)
    if approval is None and not (urgent and by.is_superuser):
        raise Refused(_("Not published: a medical reviewer has not approved this text. Submit it for review first."))
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        notes = apply(article, content) if pending else []
        if pending:
            pending.state, pending.closed_at = PendingChange.State.PUBLISHED, timezone.now()
            pending.save()
        now = timezone.now()
        if when is not None and when > now:
            article.status, article.published_at = Article.Status.SCHEDULED, when
        elif article.status not in LIVE or article.published_at is None:
            article.status, article.published_at = Article.Status.PUBLISHED, when or now
        _show_approval(article, approval)
        article.save()
        if approval is None:
            reversion.set_comment(_("Published without medical review (urgent correction)."))
            if not article.reviews.waiting().exists():
                note = _("Published without review as an urgent correction: please review the live text.")
                Review.objects.create(article=article, submitted_by=by, submitted_at=now, note=note)
        else:
            reversion.set_comment(_("Published the reviewed version."))
    return notes


def unpublish(articles, *, by) -> int:
    """Take articles off the site at once (back to draft): no review needed to stop showing something."""
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(_("Unpublished from the list."))
        articles = list(articles)
        for article in articles:
            article.status = Article.Status.DRAFT
            article.save(update_fields=["status", "updated_at"])
    return len(articles)

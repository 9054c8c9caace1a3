"""The article page's review steps and its history: submit, review, publish, discard, restore an earlier version.

Each step is a POST to its own address beside the article's change page, and calls articles/workflow.py.
"""

import reversion
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from reversion.models import Version

from .. import workflow
from ..forms import ReviewDecisionForm
from ..models import Article, Review
from ..versions import apply, as_article, changed_fields, content_from_history, content_of, fingerprint


class ReviewViewsMixin:
    object_history_template = "admin/articles/article/object_history.html"

    def get_urls(self):
        steps = [
            ("submit", require_POST(self.submit_view)),
            ("review", self.review_view),
            ("publish", require_POST(self.publish_view)),
            ("discard", require_POST(self.discard_view)),
        ]
        urls = [
            path(f"<path:object_id>/{step}/", self.admin_site.admin_view(view), name=f"articles_article_{step}")
            for step, view in steps
        ]
        return urls + super().get_urls()

    def _article(self, request, object_id, *, permission: str = "change") -> Article:
        article = get_object_or_404(Article, pk=object_id)
        allowed = (
            self.has_change_permission(request, article)
            if permission == "change"
            else request.user.has_perm("articles.review_article")
        )
        if not allowed:
            raise PermissionDenied
        return article

    def _back(self, article: Article):
        return redirect("admin:articles_article_change", article.pk)

    def _refused(self, request, refused: workflow.Refused) -> None:
        self.message_user(request, str(refused), messages.ERROR)

    def submit_view(self, request, object_id):
        article = self._article(request, object_id)
        try:
            workflow.submit(article, by=request.user, note=request.POST.get("note", "").strip())
        except workflow.Refused as refused:
            self._refused(request, refused)
        else:
            self.message_user(request, _("Submitted for medical review: reviewers see it on their list."))
        return self._back(article)

    def publish_view(self, request, object_id):
        article = self._article(request, object_id)
        if self.publish_now(request, article, urgent="urgent" in request.POST):
            self.message_user(request, _("Published: readers see this version now."), messages.SUCCESS)
        return self._back(article)

    def discard_view(self, request, object_id):
        article = self._article(request, object_id)
        if pending := workflow.pending_change(article):
            workflow.discard(pending)
            self.message_user(request, _("The changes were discarded: the article is as readers see it."))
        return self._back(article)

    def review_view(self, request, object_id):
        article = self._article(request, object_id, permission="review")
        review = article.reviews.waiting().select_related("submitted_by").first()
        if review is None:
            self.message_user(request, _("Nothing of this article waits for review."), messages.WARNING)
            return redirect("admin:index")
        pending, content = workflow.current_version(article)
        form = ReviewDecisionForm(request.POST or None, initial=ReviewDecisionForm.initial_for(fingerprint(content)))
        if request.method == "POST" and form.is_valid():
            try:
                workflow.decide(
                    review,
                    by=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    seen=form.cleaned_data["seen"],
                    comment=form.cleaned_data["comment"],
                    next_review_due=form.cleaned_data["next_review_due"],
                )
            except workflow.Refused as refused:
                form.add_error(None, str(refused))
            else:
                self.message_user(request, _("Your decision is recorded, and the editor is told."), messages.SUCCESS)
                return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Medical review: %(title)s") % {"title": content["title"]},
            "article": article,
            "version": as_article(article, content),
            "review": review,
            "changed": changed_fields(content_of(article), content) if pending else None,
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = Article.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if article is not None:
            extra_context = {**(extra_context or {}), "review_panel": self.review_panel(request, article)}
        return super().change_view(request, object_id, form_url, extra_context)

    def review_panel(self, request, article: Article) -> dict:
        """Where the article stands in review, and the steps this user may take, for its change page."""
        pending, content = workflow.current_version(article)
        approval = workflow.approval_for(article, content)
        latest = article.reviews.select_related("reviewer", "submitted_by").first()
        can_change = self.has_change_permission(request, article)
        unpublished = pending is not None or article.status not in workflow.LIVE
        return {
            "pending": pending,
            "approval": approval,
            "latest": latest,
            "stale": approval is None and latest is not None and latest.state == Review.State.APPROVED,
            "can_submit": can_change and approval is None and not (latest and latest.state == Review.State.WAITING),
            "can_publish": can_change and unpublished and approval is not None,
            "can_publish_urgently": request.user.is_superuser and unpublished and approval is None,
            "can_review": request.user.has_perm("articles.review_article")
            and latest is not None
            and latest.state == Review.State.WAITING,
        }

    def history_view(self, request, object_id, extra_context=None):
        article = get_object_or_404(Article, pk=object_id)
        changes = article.pending_changes.select_related("saved_by")
        return super().history_view(request, object_id, {**(extra_context or {}), "pending_changes": changes})

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """An earlier version as readers saw it, and restoring it: never a failure, whatever was deleted since."""
        article = self._article(request, object_id)
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        content, notes = content_from_history(version)
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("An earlier version of “%(title)s”") % {"title": article.title},
                "article": article,
                "version": as_article(article, content),
                "saved": version.revision,
                "left_out": notes,
                "changed": changed_fields(content_of(article), content),
                "preview_url": reverse("articles:preview", args=[article.pk]) + f"?version={version.pk}",
            }
            return TemplateResponse(request, "admin/articles/article/history_version.html", context)
        if article.status in workflow.LIVE:
            workflow.save_edit(article, content, by=request.user)
            restored = _("The earlier version now waits as the article's changes.")
            self.message_user(request, f"{restored} {workflow.PENDING_SAVED}")
        else:
            with reversion.create_revision():
                reversion.set_user(request.user)
                saved = formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
                reversion.set_comment(_("Restored the version saved on %(date)s.") % {"date": saved})
                notes += apply(article, content)
            self.message_user(request, _("The earlier version is restored."), messages.SUCCESS)
        for note in notes:
            self.message_user(request, note, messages.WARNING)
        return self._back(article)

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted article, back as a draft from its last version (whatever was deleted since)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        content, notes = content_from_history(version)
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Recover “%(title)s”") % content,
                "version": as_article(Article(), content),
                "saved": version.revision,
                "left_out": notes,
                "recover": True,
            }
            return TemplateResponse(request, "admin/articles/article/history_version.html", context)
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(_("Recovered after deletion, as a draft."))
            taken = Article.objects.filter(slug=content["slug"]).exists()
            slug = f"{content['slug'][:180]}-{version.object_id}" if taken else content["slug"]
            fields = {name: content[name] for name in ("title", "summary", "body")}
            article = Article.objects.create(
                pk=int(version.object_id), slug=slug, status=Article.Status.DRAFT, **fields
            )
            notes += apply(article, {**content, "slug": slug})
        self.message_user(request, _("The article is back, as a draft."), messages.SUCCESS)
        for note in notes:
            self.message_user(request, note, messages.WARNING)
        return self._back(article)

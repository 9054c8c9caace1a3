"""Helpers for the article tests: staff, what the admin's article form posts, and the medical review."""

from datetime import timedelta
from io import BytesIO, StringIO

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from PIL import Image

from articles import workflow
from articles.models import Contributor
from articles.versions import fingerprint

ADD_URL = reverse_lazy("admin:articles_article_add")
LIST_URL = reverse_lazy("admin:articles_article_changelist")


def staff_in(group_name: str, username: str | None = None) -> User:
    call_command("setup_roles", stdout=StringIO())
    user = User.objects.create_user(
        username=username or group_name.replace(" ", "-").lower(), password="pw", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def medical_reviewer(username: str = "dr-review", name: str = "Dr Dana Review", credentials: str = "MD") -> User:
    """A user in Medical reviewers, linked to the contributor readers see (name and credentials)."""
    user = staff_in("Medical reviewers", username)
    Contributor.objects.create(name=name, credentials=credentials, user=user)
    return user


def review_and_publish(article, *, editor: User | None = None, reviewer: User | None = None, **publish):
    """Take an article's current version through the review: submitted, approved a year ahead, published."""
    editor = (
        editor
        or User.objects.filter(username="review-helper-editor").first()
        or staff_in("Editors", "review-helper-editor")
    )
    reviewer = reviewer or User.objects.filter(username="dr-review").first() or medical_reviewer()
    review = workflow.submit(article, by=editor)
    content = workflow.current_version(article)[1]
    next_review = timezone.localdate() + timedelta(days=365)
    workflow.decide(review, by=reviewer, approve=True, seen=fingerprint(content), next_review_due=next_review)
    workflow.publish(article, by=editor, **publish)
    article.refresh_from_db()
    return article


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(references: list[dict] | None = None, **overrides) -> dict:
    """What the article form posts, with no references unless given."""
    data = {
        "language": "en",
        "translation_of": "",
        "title": "Walking for joint health",
        "slug": "walking-for-joint-health",
        "summary": "Gentle walking keeps joints moving.",
        "body": "<p>Start slowly.</p>",
        "category": "",
        "tags": [],
        "hero_image_alt": "",
        "author": "",
        "call_to_action": "appointment",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "references-TOTAL_FORMS": str(len(references or [])),
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
    }
    for n, reference in enumerate(references or []):
        for key, value in reference.items():
            data[f"references-{n}-{key}"] = value
    data.update(overrides)
    return data


def png_upload(name: str = "hero.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 20), (11, 83, 148)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

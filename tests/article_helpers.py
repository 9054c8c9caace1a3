"""Helpers for the article tests: an editor, and what the admin's article form posts."""

from io import BytesIO, StringIO

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse, reverse_lazy
from PIL import Image

ADD_URL = reverse_lazy("admin:articles_article_add")
LIST_URL = reverse_lazy("admin:articles_article_changelist")


def staff_in(group_name: str, username: str | None = None) -> User:
    call_command("setup_roles", stdout=StringIO())
    user = User.objects.create_user(
        username=username or group_name.replace(" ", "-").lower(), password="pw", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(references: list[dict] | None = None, **overrides) -> dict:
    """What the article form posts, with no references unless given."""
    data = {
        "title": "Walking for joint health",
        "slug": "walking-for-joint-health",
        "summary": "Gentle walking keeps joints moving.",
        "body": "<p>Start slowly.</p>",
        "category": "",
        "tags": [],
        "hero_image_alt": "",
        "author": "",
        "medical_reviewer": "",
        "last_reviewed": "",
        "next_review_due": "",
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

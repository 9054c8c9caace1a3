"""Small helpers shared by the admin tests."""

from django.urls import reverse

INLINE_PREFIXES = ("status_changes", "notes", "notifications")


def change_form_data(**fields) -> dict[str, str]:
    """A request's admin change form as the browser posts it: the fields plus each inline's management form."""
    data = {"status": "new", "assigned_to": ""}
    for prefix in INLINE_PREFIXES:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    notes = [fields.pop(key) for key in sorted(fields) if key.startswith("note")]
    for index, body in enumerate(notes):
        data[f"notes-{index}-body"] = body
    data["notes-TOTAL_FORMS"] = str(len(notes))
    return data | fields


def admin_url(name: str, *args: object) -> str:
    """An admin page by its URL name, wherever ADMIN_URL puts the admin: admin_url("articles_article_review", pk)."""
    return reverse(f"admin:{name}", args=args)

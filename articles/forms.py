from datetime import timedelta

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .html import images_without_alt, pictures_from_elsewhere, sanitize_html
from .models import Article

MAX_IMAGE_MB = 5
Status = Article.Status

MESSAGES = {
    "alt_required": _("Describe the image in the alt text: readers who cannot see it need the description."),
    "body_alt_required": _(
        "Every picture in the text needs a description (alt text): click the picture and fill in its description."
    ),
    "picture_elsewhere": _(
        "Pictures in the text must be on this site, so nothing is loaded from another host: %(addresses)s. "
        "Upload the picture under “Pictures for article text” and use the address shown there."
    ),
    "image_too_large": _("This image is larger than %(limit)s MB. Please upload a smaller version."),
    "choose_image_again": _(
        "Choose the image again before saving: a browser does not keep a chosen file when the form comes back."
    ),
    "schedule_needs_date": _("Choose the date and time the article should be published."),
    "schedule_in_past": _(
        "This date has passed, so the article would go live as soon as you save. Tick “Yes, put it live now” "
        "to go ahead, or choose a later date."
    ),
    "comment_needed": _("Say what needs changing: the editor reads your comment."),
}


class ArticleAdminForm(forms.ModelForm):
    """The editor's form. Who reviewed the text and when is set by the medical review, not here."""

    go_live_now = forms.BooleanField(
        label=_("Yes, put it live now"),
        required=False,
        help_text=_("Only asked when a scheduled date has already passed."),
    )
    publish_without_review = forms.BooleanField(
        label=_("Urgent correction: publish without medical review"),
        required=False,
        help_text=_(
            "Superusers only. Readers see the text at once, without a “Medically reviewed” line, until a "
            "medical reviewer approves it."
        ),
    )
    # The admin sets this to a pending change's values, so an editor goes on editing what waits for review.
    pending_initial: dict | None = None

    class Meta:
        model = Article
        fields = [
            "language",
            "translation_of",
            "title",
            "slug",
            "summary",
            "body",
            "category",
            "tags",
            "hero_image",
            "hero_image_alt",
            "author",
            "call_to_action",
            "status",
            "published_at",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        if self.pending_initial:
            kwargs["initial"] = {**self.pending_initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)

    def clean_body(self) -> str:
        if elsewhere := pictures_from_elsewhere(self.cleaned_data["body"]):
            addresses = ", ".join(f"“{src}”" for src in elsewhere)
            raise forms.ValidationError(
                MESSAGES["picture_elsewhere"], code="elsewhere", params={"addresses": addresses}
            )
        body = sanitize_html(self.cleaned_data["body"])
        if images_without_alt(body):
            raise forms.ValidationError(MESSAGES["body_alt_required"], code="alt_required")
        return body

    def clean_hero_image(self):
        image = self.cleaned_data.get("hero_image")
        if isinstance(image, UploadedFile) and image.size > MAX_IMAGE_MB * 1024 * 1024:
            raise forms.ValidationError(MESSAGES["image_too_large"], code="too_large", params={"limit": MAX_IMAGE_MB})
        return image

    def clean(self) -> dict:
        cleaned = super().clean()
        image = cleaned.get("hero_image")
        if image and not cleaned.get("hero_image_alt", "").strip():
            self.add_error("hero_image_alt", forms.ValidationError(MESSAGES["alt_required"], code="alt_required"))
        self.check_dates(cleaned)
        if isinstance(image, UploadedFile) and self._errors:
            self.add_error("hero_image", forms.ValidationError(MESSAGES["choose_image_again"], code="reupload"))
        return cleaned

    def check_dates(self, cleaned: dict) -> None:
        """Status and date agree: a future "Published" is scheduled, a past "Scheduled" asks before going live."""
        status, published_at = cleaned.get("status"), cleaned.get("published_at")
        moved = {"status", "published_at"} & set(self.changed_data)
        now = timezone.now()
        if status == Status.PUBLISHED and published_at is None:
            cleaned["published_at"] = now
        elif status == Status.PUBLISHED and published_at > now and moved:
            cleaned["status"] = Status.SCHEDULED  # the admin's message says when it goes live
        elif status == Status.SCHEDULED and published_at is None:
            self.add_error("published_at", forms.ValidationError(MESSAGES["schedule_needs_date"], code="required"))
        elif status == Status.SCHEDULED and published_at <= now and moved:
            if not cleaned.get("go_live_now"):
                self.add_error("go_live_now", forms.ValidationError(MESSAGES["schedule_in_past"], code="past"))
            else:
                cleaned["status"] = Status.PUBLISHED


class ReviewDecisionForm(forms.Form):
    """A medical reviewer's decision on the text they read (`seen` is its fingerprint)."""

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve: the text is medically accurate")), ("send_back", _("Send it back"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the editor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you send it back: say what needs changing."),
    )
    next_review_due = forms.DateField(
        label=_("Next review due"),
        required=False,
        help_text=_("When this article should be checked again (approval only)."),
    )
    seen = forms.CharField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(fingerprint: str) -> dict:
        return {"seen": fingerprint, "next_review_due": timezone.localdate() + timedelta(days=365)}

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == "send_back" and not cleaned.get("comment", "").strip():
            self.add_error("comment", forms.ValidationError(MESSAGES["comment_needed"], code="required"))
        return cleaned

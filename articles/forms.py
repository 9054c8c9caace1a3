from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .html import images_without_alt, pictures_from_elsewhere, sanitize_html
from .models import Article

MAX_IMAGE_MB = 5

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
    "reviewer_is_author": _(
        "The medical reviewer checks the author's work: choose someone other than the author, or leave it empty."
    ),
    "reviewer_needs_credentials": _(
        "Readers see the reviewer's credentials: add them to this contributor (for example: MD, rheumatologist)."
    ),
    "choose_image_again": _(
        "Choose the image again before saving: a browser does not keep a chosen file when the form comes back."
    ),
    "reviewed_in_future": _("The last review cannot be in the future: readers see this date as a fact."),
    "review_due_before_review": _("The next review is due after the last one: choose a later date."),
    "schedule_needs_date": _("Choose the date and time the article should be published."),
    "schedule_in_past": _("A scheduled article needs a publish date in the future. Choose Published to publish now."),
}


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "body",
            "category",
            "tags",
            "hero_image",
            "hero_image_alt",
            "author",
            "medical_reviewer",
            "last_reviewed",
            "next_review_due",
            "call_to_action",
            "status",
            "published_at",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

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
        self.check_reviewer(cleaned.get("author"), cleaned.get("medical_reviewer"))
        self.check_review_dates(cleaned.get("last_reviewed"), cleaned.get("next_review_due"))
        status = cleaned.get("status")
        published_at = cleaned.get("published_at")
        if status == Article.Status.SCHEDULED:
            if published_at is None:
                self.add_error("published_at", forms.ValidationError(MESSAGES["schedule_needs_date"], code="required"))
            elif published_at <= timezone.now() and "published_at" in self.changed_data:
                self.add_error("published_at", forms.ValidationError(MESSAGES["schedule_in_past"], code="past"))
        if status == Article.Status.PUBLISHED and published_at is None:
            cleaned["published_at"] = timezone.now()
        if isinstance(image, UploadedFile) and self._errors:
            self.add_error("hero_image", forms.ValidationError(MESSAGES["choose_image_again"], code="reupload"))
        return cleaned

    def check_reviewer(self, author, reviewer) -> None:
        """ "Medically reviewed by" is a promise to readers: an independent person with stated credentials."""
        if reviewer is None:
            return
        if author is not None and reviewer.pk == author.pk:
            self.add_error("medical_reviewer", forms.ValidationError(MESSAGES["reviewer_is_author"], code="same"))
        elif not reviewer.credentials.strip():
            self.add_error(
                "medical_reviewer", forms.ValidationError(MESSAGES["reviewer_needs_credentials"], code="credentials")
            )

    def check_review_dates(self, last_reviewed, next_review_due) -> None:
        if last_reviewed is None:
            return
        if last_reviewed > timezone.localdate():
            self.add_error("last_reviewed", forms.ValidationError(MESSAGES["reviewed_in_future"], code="future"))
        elif next_review_due is not None and next_review_due <= last_reviewed:
            self.add_error(
                "next_review_due", forms.ValidationError(MESSAGES["review_due_before_review"], code="before_review")
            )

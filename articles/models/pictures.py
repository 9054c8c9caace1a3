from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.media import UniqueUploadName, image_extension_validator


class BodyImage(models.Model):
    """A picture uploaded for use inside article text: editors paste its address into the editor's image dialog."""

    title = models.CharField(_("title"), max_length=120, help_text=_("To find the picture again."))
    image = models.ImageField(
        _("image"), upload_to=UniqueUploadName("articles/body/%Y/"), validators=[image_extension_validator]
    )
    alt_text = models.CharField(
        _("alt text"), max_length=250, help_text=_("Describe the picture for people who cannot see it.")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("picture for article text")
        verbose_name_plural = _("pictures for article text")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

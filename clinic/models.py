from django.db import models
from django.utils.translation import gettext_lazy as _
from solo.models import SingletonModel


class ClinicDetails(SingletonModel):
    """The clinic's name and contact details: one record, edited in the admin, shown on every page and email.

    Seeded from the CLINIC_* environment variables on the first migrate (settings.CLINIC, which also
    stands in while the database does not answer: clinic/details.py). `hours` and `callback` are
    sentences shown inside the pages' own sentences, so each has a Spanish field beside it (hours_es,
    callback_es) that clinic.details.current() picks on Spanish pages and in Spanish emails; the other
    details are the same in every language.
    """

    name = models.CharField(_("clinic name"), max_length=120)
    phone = models.CharField(
        _("phone"), max_length=40, help_text=_("As patients should dial it, e.g. (202) 555-0143 or +1 202 555 0143.")
    )
    email = models.EmailField(_("contact email"), help_text=_("Shown to patients, and the Reply-To of our emails."))
    address = models.CharField(_("address"), max_length=250)
    hours = models.CharField(
        _("office hours"), max_length=200, help_text=_("For example: Monday to Friday, 8:00 am to 5:00 pm")
    )
    callback = models.CharField(
        _("call-back promise"),
        max_length=120,
        help_text=_('Completes "Our front desk will call you back …", e.g. "within one business day".'),
    )
    hours_es = models.CharField(
        _("office hours in Spanish"),
        max_length=200,
        blank=True,
        help_text=_("For example: de lunes a viernes, de 8:00 a 17:00. Empty: Spanish pages show the English."),
    )
    callback_es = models.CharField(
        _("call-back promise in Spanish"),
        max_length=120,
        blank=True,
        help_text=_('Completes "Nuestra recepción le llamará …", e.g. "en un plazo de un día hábil".'),
    )
    emergency_number = models.CharField(_("emergency number"), max_length=20)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("clinic details")
        verbose_name_plural = _("clinic details")

    def __str__(self) -> str:
        return str(_("Clinic details"))


FIELDS = ("name", "phone", "email", "address", "hours", "callback", "hours_es", "callback_es", "emergency_number")

from django.db import models
from django.utils.translation import gettext_lazy as _
from solo.models import SingletonModel


class ClinicDetails(SingletonModel):
    """The clinic's name and contact details: one record, edited in the admin, shown on every page and email.

    Seeded from the CLINIC_* environment variables on the first migrate (settings.CLINIC, which also
    stands in while the database does not answer: clinic/details.py). `hours` and `callback` are
    sentences shown inside the pages' own sentences, in English for now: when the site speaks Spanish,
    each gets a Spanish field beside it (hours_es, callback_es) and clinic.details.current() picks the
    one for the active language; the other details are the same in every language.
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
    emergency_number = models.CharField(_("emergency number"), max_length=20)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("clinic details")
        verbose_name_plural = _("clinic details")

    def __str__(self) -> str:
        return str(_("Clinic details"))


FIELDS = ("name", "phone", "email", "address", "hours", "callback", "emergency_number")

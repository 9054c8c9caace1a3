from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from solo.admin import SingletonModelAdmin

from . import phones
from .models import ClinicDetails

MESSAGES = {"phone": _("Patients could not dial this: write the number as it is dialled, e.g. (202) 555-0143.")}


class ClinicDetailsForm(forms.ModelForm):
    class Meta:
        model = ClinicDetails
        fields = [
            "name",
            "phone",
            "email",
            "address",
            "hours",
            "callback",
            "hours_es",
            "callback_es",
            "emergency_number",
        ]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        try:
            phones.parse(phone)
        except phones.NotAPhoneNumber:
            raise forms.ValidationError(MESSAGES["phone"], code="invalid") from None
        return phone


@admin.register(ClinicDetails)
class ClinicDetailsAdmin(SingletonModelAdmin):
    """The one record: editors change it (accounts/roles.py); nobody adds or deletes it."""

    form = ClinicDetailsForm
    fieldsets = [
        (None, {"fields": ["name", "phone", "email", "address", "emergency_number"]}),
        (
            _("Sentences on the pages"),
            {
                "fields": ["hours", "callback", "hours_es", "callback_es"],
                "description": _(
                    'Shown in sentences such as "Our front desk will call you back within one business '
                    'day (Monday to Friday, 8:00 am to 5:00 pm)", and in Spanish on the Spanish pages and emails.'
                ),
            },
        ),
    ]

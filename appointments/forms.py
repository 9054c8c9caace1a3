import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from email_validator import EmailNotValidError, validate_email

from clinic import phones

from .models import PATIENT_FIELDS, AppointmentRequest

# Every message a patient can see, in one place (SPEC.md, verbatim). The
# template renders them into data attributes, so the browser script shows
# the same words without a copy of its own.
MESSAGES = {
    "first_name_required": _("Please enter your first name."),
    "last_name_required": _("Please enter your name."),
    "phone_required": _("Please enter your phone number."),
    "phone_not_a_number": _("This isn't a valid phone number."),
    "phone_invalid": _("You entered an invalid number."),
    "email_required": _("Please enter your email address."),
    "email_invalid": _("This isn't a valid email address."),
    "selection_required": _("Please make a selection."),
    "name_too_long": _("Please use %(limit_value)d characters or fewer (you entered %(show_value)d)."),
    "message_too_long": _(
        "Please shorten your message to %(limit_value)d characters or fewer (you entered %(show_value)d)."
    ),
    "null_character": _("Please remove the unusual control characters from this field."),
}

MESSAGE_MAX_LENGTH = 2000

YES_NO = [("", _("Please select")), ("yes", _("Yes")), ("no", _("No"))]


def _choices_with_prompt(choices):
    return [("", _("Please select")), *choices]


def _text_errors(required_key: str | None, too_long_key: str = "name_too_long", **extra: str) -> dict:
    errors = {
        "max_length": MESSAGES[too_long_key],
        "null_characters_not_allowed": MESSAGES["null_character"],
        **{code: MESSAGES[key] for code, key in extra.items()},
    }
    if required_key:
        errors["required"] = MESSAGES[required_key]
    return errors


def _select_errors() -> dict:
    return {"required": MESSAGES["selection_required"], "invalid_choice": MESSAGES["selection_required"]}


# By identity: hashing or comparing the lazy messages would translate each one.
_OUR_MESSAGES = {id(message) for message in MESSAGES.values()}


class PatientFieldMixin:
    """A field that carries its messages to the browser script, as data-msg-* attributes on its widget.

    Set as the field is built (once, when the form class is declared; each form
    gets a copy). No maxlength: too long gets a clear message, not a silent cut
    by the browser.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.pop("maxlength", None)
        for code, message in self.error_messages.items():
            if id(message) in _OUR_MESSAGES:
                self.widget.attrs[f"data-msg-{code.replace('_', '-')}"] = message


class PatientCharField(PatientFieldMixin, forms.CharField):
    pass


class PatientChoiceField(PatientFieldMixin, forms.ChoiceField):
    pass


class PatientTypedChoiceField(PatientFieldMixin, forms.TypedChoiceField):
    pass


class AppointmentRequestForm(forms.ModelForm):
    first_name = PatientCharField(
        label=_("First Name"),
        max_length=100,
        error_messages=_text_errors("first_name_required"),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = PatientCharField(
        label=_("Last Name"),
        max_length=100,
        error_messages=_text_errors("last_name_required"),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    # No max_length: anything phonenumbers cannot read gets its own message.
    phone = PatientCharField(
        label=_("Phone"),
        error_messages=_text_errors(
            "phone_required", not_a_number="phone_not_a_number", invalid_number="phone_invalid"
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = PatientCharField(
        label=_("Email"),
        error_messages=_text_errors("email_required", invalid_email="email_invalid"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    new_patient = PatientTypedChoiceField(
        label=_("Are you a new patient?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        error_messages=_select_errors(),
    )
    preferred_day = PatientChoiceField(
        label=_("Preferred Day"),
        choices=_choices_with_prompt(AppointmentRequest.Day.choices),
        error_messages=_select_errors(),
    )
    preferred_time = PatientChoiceField(
        label=_("Preferred Time"),
        choices=_choices_with_prompt(AppointmentRequest.Time.choices),
        error_messages=_select_errors(),
    )
    message = PatientCharField(
        label=_("Reason for visit / comments"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        error_messages=_text_errors(None, "message_too_long"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Please don't include anything urgent: we read requests during office hours."),
    )
    # Hidden: one token per rendered form, so a double submit stores one row.
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)
    # Honeypot: people never see it; bots that fill every field do.
    leave_blank = forms.CharField(
        label=_("Leave this field blank"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = AppointmentRequest
        fields = PATIENT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", str(uuid.uuid4()))

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.error_text_inline = False
        helper.layout = Layout(
            Fieldset(
                _("Personal Information"),
                HTML(format_html('<p class="required-note">{}</p>', _("* Indicates Required Field"))),
                "first_name",
                "last_name",
                "phone",
                "email",
                "new_patient",
            ),
            Fieldset(
                _("Preferred Appointment"),
                Row(Column("preferred_day", css_class="col-sm-6"), Column("preferred_time", css_class="col-sm-6")),
                css_class="preferred-appointment",
            ),
            "message",
            Div("leave_blank", css_class="hp-field", aria_hidden="true"),
            "form_token",
        )
        return helper

    def _error(self, field: str, code: str) -> forms.ValidationError:
        return forms.ValidationError(self.fields[field].error_messages[code], code=code)

    def clean_phone(self) -> str:
        try:
            number = phones.parse(self.cleaned_data["phone"])
        except phones.NotAPhoneNumber:
            raise self._error("phone", "not_a_number") from None
        if not phones.is_valid(number):
            raise self._error("phone", "invalid_number")
        return phones.e164(number)

    def clean_email(self) -> str:
        try:
            result = validate_email(
                self.cleaned_data["email"], check_deliverability=settings.EMAIL_CHECK_DELIVERABILITY
            )
        except EmailNotValidError:
            raise self._error("email", "invalid_email") from None
        return result.normalized

    def clean_form_token(self) -> uuid.UUID:
        # A missing or mangled token must not cost the patient their request.
        try:
            return uuid.UUID(self.cleaned_data["form_token"])
        except ValueError:
            return uuid.uuid4()

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("leave_blank"))

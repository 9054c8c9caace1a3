"""A bare GET rendering a ~10 KB template, and a bare POST doing the form's minimal work."""

import uuid

import phonenumbers
from django import forms
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from email_validator import EmailNotValidError, validate_email

TABLE = "bench_bare_request"
CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (id {{pk}}, first_name varchar(100), last_name varchar(100), "
    "phone varchar(20), email varchar(254), preferred_day varchar(10), preferred_time varchar(10), "
    "token varchar(36) UNIQUE)"
)


def page(request: HttpRequest) -> HttpResponse:
    items = [{"title": f"Item {n}", "summary": "A short summary of the item."} for n in range(10)]
    return render(request, "baseline.html", {"title": "Baseline", "items": items})


class BareForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    phone = forms.CharField()
    email = forms.CharField()
    preferred_day = forms.ChoiceField(choices=[(d, d) for d in ("any", "monday", "tuesday")])
    preferred_time = forms.ChoiceField(choices=[(t, t) for t in ("any", "morning", "afternoon")])

    def clean_phone(self) -> str:
        try:
            number = phonenumbers.parse(self.cleaned_data["phone"], "US")
        except phonenumbers.NumberParseException:
            raise forms.ValidationError("not a number") from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError("invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_email(self) -> str:
        try:
            return validate_email(self.cleaned_data["email"], check_deliverability=False).normalized
        except EmailNotValidError:
            raise forms.ValidationError("invalid") from None


def ensure_table() -> None:
    pk = "integer PRIMARY KEY AUTOINCREMENT" if connection.vendor == "sqlite" else "serial PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE.format(pk=pk))


@csrf_exempt
def post(request: HttpRequest) -> HttpResponse:
    form = BareForm(request.POST)
    if not form.is_valid():
        return HttpResponse("invalid", status=400)
    data = form.cleaned_data
    token = request.POST.get("form_token") or str(uuid.uuid4())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (first_name, last_name, phone, email, preferred_day, preferred_time, token) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                data["first_name"],
                data["last_name"],
                data["phone"],
                data["email"],
                data["preferred_day"],
                data["preferred_time"],
                token,
            ],
        )
    return HttpResponseRedirect("/thanks/")


def thanks(request: HttpRequest) -> HttpResponse:
    return HttpResponse("thanks")

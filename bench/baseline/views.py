"""A bare GET rendering a ~10 KB template, and a bare POST doing the form's minimal work:
validate six fields (phonenumbers, email-validator), insert one row with the ORM, redirect."""

import uuid

import phonenumbers
from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from email_validator import EmailNotValidError, validate_email

from .models import BareRequest


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


@csrf_exempt
def post(request: HttpRequest) -> HttpResponse:
    form = BareForm(request.POST)
    if not form.is_valid():
        return HttpResponse("invalid", status=400)
    token = request.POST.get("form_token") or uuid.uuid4()
    with transaction.atomic():
        BareRequest.objects.create(**form.cleaned_data, token=token)
    return HttpResponseRedirect("/thanks/")


def thanks(request: HttpRequest) -> HttpResponse:
    return HttpResponse("thanks")

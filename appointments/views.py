from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from clinic import page_cache

from .forms import AppointmentRequestForm
from .ratelimit import over_limit
from .services import OverLimit, submit_request

if TYPE_CHECKING:  # articles embed this form; appointments never imports articles
    from articles.models import Article

THANKS_COOKIE = "appointment_ref"
THANKS_SALT = "appointments.thanks"


def handle_appointment_form(
    request: HttpRequest, *, source_article: "Article | None" = None
) -> tuple[AppointmentRequestForm, HttpResponse | None]:
    """Run the request form wherever it is embedded.

    Returns the form to render, or a response that finishes the request
    (the redirect to the thank-you page, or the over-limit page).
    """
    if request.method != "POST":
        return AppointmentRequestForm(initial=page_cache.form_initial(request)), None
    form = AppointmentRequestForm(request.POST)
    if not form.is_valid():
        return form, None
    try:
        appointment = submit_request(
            form=form,
            source_path=request.path,
            source_article=source_article,
            over_limit=lambda: over_limit(request),
        )
    except OverLimit:
        return form, render(request, "appointments/rate_limited.html", status=429)
    response = redirect("appointments:thanks")
    response.set_signed_cookie(
        THANKS_COOKIE,
        appointment.reference,
        salt=THANKS_SALT,
        max_age=3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return form, response


@never_cache
@page_cache.cached_page
def request_form(request: HttpRequest) -> HttpResponse:
    form, response = handle_appointment_form(request)
    return response or render(request, "appointments/request_form.html", {"form": form})


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    reference = request.get_signed_cookie(THANKS_COOKIE, default=None, salt=THANKS_SALT, max_age=3600)
    return render(request, "appointments/thanks.html", {"reference": reference})

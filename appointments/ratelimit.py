"""Per-client limit on stored appointment requests, counted by django-ratelimit in the shared cache."""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from clinic.client_address import client_ip


def over_limit(request: HttpRequest) -> bool:
    """Count one stored submission for this client; True once it is past the limit.

    Called inside the transaction that stores the request
    (appointments.services.submit_request), so a double submit never counts
    and, on the database cache, the count is written or rolled back with the
    request. django-ratelimit stores a hash of the key, never the address.
    """
    return is_ratelimited(
        request,
        group="appointments.submit",
        key=lambda _group, req: client_ip(req),
        rate=settings.APPOINTMENT_RATE_LIMIT,
        increment=True,
    )

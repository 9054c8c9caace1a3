from django import template

from appointments.models import AppointmentRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_request_count(context) -> int | None:
    """How many new requests wait for a call; None for users who may not see requests."""
    user = context["request"].user
    if not user.has_perm("appointments.view_appointmentrequest"):
        return None
    return AppointmentRequest.objects.waiting().count()

from django import template

from operations.health import MailHealth

register = template.Library()


@register.simple_tag(takes_context=True)
def mail_warnings(context) -> list[str]:
    """Why emails are not going out, with what to do; only for staff who see the emails' delivery."""
    if not context["request"].user.has_perm("appointments.view_notification"):
        return []
    return MailHealth.read().warnings()

from django import template

from clinic import details

register = template.Library()


@register.simple_tag
def demo_clinic_details() -> list[str]:
    """The details (NAME, PHONE, ...) still the demo clinic's: the admin index warns until they are changed."""
    return details.demo_fields(details.current())

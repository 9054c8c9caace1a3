"""Phone numbers, read and written one way everywhere: the form, the front desk, the pages' call links.

Numbers without a +country code are read in PHONE_REGION; they are stored in E.164.
"""

import phonenumbers
from django.conf import settings
from phonenumbers import PhoneNumber, PhoneNumberFormat


class NotAPhoneNumber(ValueError):
    """Cannot be read as a phone number at all, or has the wrong number of digits."""


def parse(raw: str) -> PhoneNumber:
    """A possible phone number (the right length for its country), or NotAPhoneNumber."""
    try:
        number = phonenumbers.parse(raw, settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise NotAPhoneNumber(raw) from None
    if not phonenumbers.is_possible_number(number):
        raise NotAPhoneNumber(raw)
    return number


def is_valid(number: PhoneNumber) -> bool:
    """A number that exists in its country's numbering plan (555-123-4567 is possible, not valid)."""
    return phonenumbers.is_valid_number(number)


def e164(number: PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def e164_or_none(raw: str) -> str | None:
    """The E.164 form of a number typed any way, as the form stores it; None if it is not one."""
    try:
        return e164(parse(raw))
    except NotAPhoneNumber:
        return None


def for_calling(stored: str) -> str:
    """The number as the front desk dials it: national format at home, international otherwise."""
    try:
        number = parse(stored)
    except NotAPhoneNumber:
        return stored
    home = phonenumbers.region_code_for_number(number) == settings.PHONE_REGION
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL if home else PhoneNumberFormat.INTERNATIONAL)


def tel_href(raw: str) -> str:
    """A tel: link for a number written any way (the clinic's own, in settings or the admin)."""
    if (number := e164_or_none(raw)) is None:
        return "tel:" + "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    return "tel:" + number

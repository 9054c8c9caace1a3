"""Staff sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after sign-in."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN = "staff_last_seen"
# The last-seen time is written at most this often, so a busy clerk's session is not saved on every click.
LAST_SEEN_RESOLUTION_SECONDS = 60


class StaffSessionMiddleware:
    """After AuthenticationMiddleware. An expired session is signed out; the admin then asks to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                request.sign_out_reason = f"idle for more than {settings.SESSION_IDLE_MINUTES} minutes"
                logout(request)
            elif now - signed_in_at > settings.SESSION_COOKIE_AGE:
                request.sign_out_reason = f"signed in for more than {settings.SESSION_COOKIE_AGE // 3600} hours"
                logout(request)
            elif now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)

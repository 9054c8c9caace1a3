"""A patient's browser, as loadtest.py and faults.py play it: load the form, send it."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

ACKNOWLEDGED = 302  # the redirect to the thank-you page: the patient is told it was sent


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Patient:
    """One browser: loads the form once, then posts it (once, or twice at once for a double click)."""

    def __init__(self, base: str, n: int, prefix: str = "Load"):
        self.base = base
        self.first_name = f"{prefix}{n}"
        self.email = f"{prefix.lower()}{n}@example.com"
        self.phone = f"+1 202 555 {n % 10000:04d}"
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        self.data: bytes | None = None

    def _status(self, url: str, data: bytes | None = None) -> tuple[int, str]:
        try:
            with self.opener.open(url, data=data, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:
            return 0, ""  # connection refused or reset: no answer at all

    def load_form(self) -> int:
        status, page = self._status(f"{self.base}/appointments/request/")
        if status == 200:
            fields = {
                name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
                for name in ("csrfmiddlewaretoken", "form_token")
            }
            self.data = urllib.parse.urlencode(
                {
                    **fields,
                    "first_name": self.first_name,
                    "last_name": "Patient",
                    "phone": self.phone,
                    "email": self.email,
                    "new_patient": "yes",
                    "preferred_day": "monday",
                    "preferred_time": "any",
                    "message": "Load test request.",
                }
            ).encode()
        return status

    def submit(self, times: int = 1) -> list[int]:
        """Post the same filled-in form `times` times at once; returns the statuses."""
        url = f"{self.base}/appointments/request/"
        if times == 1:
            return [self._status(url, self.data)[0]]
        with ThreadPoolExecutor(times) as clicks:
            return [status for status, _page in clicks.map(lambda _: self._status(url, self.data), range(times))]

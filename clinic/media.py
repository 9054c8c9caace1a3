"""Uploaded images: the types the admin accepts, names that are never reused, and the view that serves them.

The site serves MEDIA_URL itself, in production too, from whichever storage holds the uploads
(MEDIA_ROOT, or an S3 bucket: clinic/storage.py). Only the image types below are served, each with
its fixed content type, the strictest Content-Security-Policy and a year-long cache: an upload's
name is never given to other bytes (UniqueUploadName), so a browser or proxy may keep it for good.
"""

import hashlib
import os
import re
import secrets

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from clinic.middleware import STRICT_CSP

# What editors may upload, and so all that is ever served: no SVG (it can carry scripts).
IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
image_extension_validator = FileExtensionValidator(allowed_extensions=list(IMAGE_TYPES))

# Names as Django's storages write them (letters, digits, "-", "_", "."), in folders. No segment
# starts with a dot, so "..", "./" and hidden files never match; nor do "//", "\" or a NUL.
_STORED_NAME = re.compile(r"(?:[\w-][\w.-]*/)*[\w-][\w.-]*")
ONE_YEAR = 365 * 24 * 60 * 60


@deconstructible
class UniqueUploadName:
    """`upload_to` giving each upload a name no earlier upload had: 'articles/2026/knee-brace-3f9c2a1b.png'.

    Storages only avoid names that exist now; with the random part, a name deleted and uploaded
    again still means new bytes at a new address, so a year-long cache is never stale.
    """

    def __init__(self, folder: str):
        self.folder = folder  # strftime codes allowed, as in a plain upload_to: "articles/%Y/"

    def __call__(self, instance, filename: str) -> str:
        stem, extension = os.path.splitext(os.path.basename(filename))
        return f"{timezone.now().strftime(self.folder)}{stem[:60]}-{secrets.token_hex(4)}{extension.lower()}"


def content_type_for(name: str) -> str | None:
    """The content type to serve `name` with, or None when it is not a stored image's name."""
    if not _STORED_NAME.fullmatch(name):
        return None
    return IMAGE_TYPES.get(name.rpartition(".")[2].lower()) if "." in name else None


@require_safe
def serve(request: HttpRequest, name: str) -> HttpResponse:
    """An uploaded image from the default storage (local folder or S3), streamed by this site.

    From S3 too it is streamed rather than redirected: pages and article text keep one
    address per picture whatever the storage, the browser loads nothing from another
    host (CSP img-src 'self'), and the bucket stays private, with no signed URL to expire.
    """
    content_type = content_type_for(name)
    if content_type is None:
        raise Http404("Not an image this site serves.")
    # The name identifies the bytes (UniqueUploadName), so it is the ETag, and a revalidation costs no storage call.
    etag = '"' + hashlib.sha256(name.encode()).hexdigest()[:32] + '"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        try:
            image = default_storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation) as missing:
            raise Http404("No such image.") from missing
        response = FileResponse(image, content_type=content_type)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = STRICT_CSP
    return response

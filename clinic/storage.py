"""Uploaded images on S3-compatible object storage (django-storages), used when AWS_STORAGE_BUCKET_NAME is set."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class S3MediaStorage(S3Storage):
    """A private bucket whose files keep the site's own addresses, /media/<name>, served by clinic.media.serve.

    Nothing is overwritten (two editors uploading "hero.png" at once get two objects) and
    nothing is made public: the bucket is read only by the site.
    """

    file_overwrite = False
    default_acl = None
    querystring_auth = False

    def url(self, name: str, parameters=None, expire=None, http_method=None) -> str:
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

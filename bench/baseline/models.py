from django.db import models


class BareRequest(models.Model):
    """The bare POST's one row: the six fields and a unique token, like the site's request."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=20)
    email = models.EmailField()
    preferred_day = models.CharField(max_length=10)
    preferred_time = models.CharField(max_length=10)
    token = models.UUIDField(unique=True)

    class Meta:
        app_label = "baseline"

    def __str__(self) -> str:
        return str(self.token)

"""The front desk's admin: one module per concern, registered on import."""

from . import audit, notifications, requests  # noqa: F401 - each registers its ModelAdmin

"""The editors' and medical reviewers' admin: one module per concern, registered on import."""

from . import articles, filing  # noqa: F401 - each registers its ModelAdmins

"""The ceiling: bare Django views under the same gunicorn, with none of the site's work."""

"""In production the site's CSS and scripts are collected with hashed, compressed names (WhiteNoise)."""

import json

from django.core.management import call_command


def test_collectstatic_gives_every_file_a_hashed_name_and_a_compressed_copy(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    served = ("css/site.css", "vendor/bootstrap/bootstrap.subset.min.css", "js/a11y-menu.js", "js/form-validation.js")
    for name in served:
        hashed = manifest[name]
        assert hashed != name
        assert (tmp_path / f"{hashed}.gz").exists()

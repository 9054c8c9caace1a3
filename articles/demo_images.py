"""Placeholder hero images for the demo articles, drawn here so nothing is downloaded or committed."""

import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

SIZE = (1200, 630)  # the usual link-preview proportions
PALETTE = [(11, 83, 148), (46, 139, 87), (95, 158, 160), (70, 130, 180)]


def sample_hero_image(seed: str) -> ContentFile:
    """A calm abstract picture (circles on a light background), the same for the same seed."""
    digest = hashlib.sha256(seed.encode()).digest()
    image = Image.new("RGB", SIZE, (238, 244, 248))
    draw = ImageDraw.Draw(image)
    for n in range(6):
        x, y = digest[n] * SIZE[0] // 255, digest[n + 6] * SIZE[1] // 255
        radius = 80 + digest[n + 12] % 160
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=PALETTE[n % len(PALETTE)])
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue())

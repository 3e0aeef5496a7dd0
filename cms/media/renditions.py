"""Image renditions: the files the public gets, made in a worker thread, off the event loop.

From the original: orientation fixed from EXIF, then every derived file is written without
EXIF, XMP or comments (GPS and camera serials never leave the server): a full-size copy in the
original's family and in WebP, and widths of 320 to 1920 pixels (never upscaled) in both.
A dominant colour serves as the loading placeholder. The same decompression-bomb guards apply
as at upload time.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

WIDTHS = (320, 640, 960, 1280, 1920)
# The family renditions keep: GIF becomes PNG (first frame), the rest keep theirs.
_FAMILY = {
    "image/jpeg": ("JPEG", "jpeg", "jpg"),
    "image/png": ("PNG", "png", "png"),
    "image/webp": ("WEBP", "webp", "webp"),
    "image/gif": ("GIF", "png", "png"),
    "image/avif": ("AVIF", "avif", "avif"),
}
_SAVE = {
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    "png": ("PNG", {"optimize": True}),
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "avif": ("AVIF", {"quality": 60}),
}


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str  # jpeg, png, webp, avif
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


def render(
    source: Path, content_type: str, out_dir: Path, max_pixels: int
) -> tuple[list[Rendition], str]:
    """Write the renditions of ``source`` into ``out_dir``; return them and a placeholder."""
    pillow_format, family, _ = _FAMILY[content_type]
    out_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(source, formats=[pillow_format]) as opened:
            if opened.width * opened.height > max_pixels:
                raise ValueError("the image has too many pixels")
            image = ImageOps.exif_transpose(opened)  # a new image, without the EXIF block
            image.load()
    if image.mode not in {"RGB", "RGBA", "L", "LA"}:
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
    icc = image.info.get("icc_profile")
    made = [
        _save(image, fmt, out_dir / f"full.{fmt}", icc) for fmt in dict.fromkeys((family, "webp"))
    ]
    for width in WIDTHS:
        if width >= image.width:
            break
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for fmt in dict.fromkeys(("webp", family)):
            made.append(_save(resized, fmt, out_dir / f"w{width}.{fmt}", icc))
    r, g, b = image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return made, f"#{r:02x}{g:02x}{b:02x}"


def _save(image: Image.Image, fmt: str, path: Path, icc: bytes | None) -> Rendition:
    pillow_format, options = _SAVE[fmt]
    if fmt == "jpeg" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    temp = path.with_suffix(path.suffix + ".part")
    # Only the colour profile is carried over: no EXIF, XMP or text chunks are written.
    extra = {"icc_profile": icc} if icc else {}
    image.save(temp, pillow_format, **options, **extra)
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, path)
    return Rendition(image.width, image.height, fmt, path)

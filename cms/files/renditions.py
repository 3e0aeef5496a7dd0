"""Image renditions: the files the public gets, made in a worker thread, off the event loop.

From the original: orientation fixed from EXIF, then every derived file is written without
EXIF, XMP or comments (GPS and camera serials never leave the server): a full-size copy in the
original's family and in WebP, and widths of 320 to 1920 pixels (never upscaled) in both.
A dominant colour serves as the loading placeholder. The same decompression-bomb guards apply
as at upload time.

Everything here is local and synchronous: :func:`render` reads a local file and writes into a
private local folder, which the storage then keeps whole (see
:meth:`cms.files.storage.Storage.put_folder`).
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PIL import Image, ImageOps

WIDTHS = (320, 640, 960, 1280, 1920)
# Cropped renditions, for cards and social previews: the focal point stays in frame.
ASPECTS = {"1:1": 1.0, "16:9": 16 / 9}
CROP_WIDTHS = (320, 640, 960)
# The family renditions keep: GIF becomes PNG (first frame), the rest keep theirs.
_FAMILY = {
    "image/jpeg": ("JPEG", "jpeg", "jpg"),
    "image/png": ("PNG", "png", "png"),
    "image/webp": ("WEBP", "webp", "webp"),
    "image/gif": ("GIF", "png", "png"),
    "image/avif": ("AVIF", "avif", "avif"),
}
_SAVE: dict[str, tuple[str, dict[str, int | bool]]] = {
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
    name: str  # the file's name in the folder it was written to
    aspect: str | None = None


def render(
    source: Path,
    content_type: str,
    out_dir: Path,
    max_pixels: int,
    focal: tuple[float, float] = (0.5, 0.5),
) -> tuple[list[Rendition], str]:
    """Write the renditions of ``source`` into the folder ``out_dir``; return them and a
    placeholder colour."""
    pillow_format, family, _ = _FAMILY[content_type]
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
    for aspect, ratio in ASPECTS.items():
        cropped = image.crop(crop_box(image.width, image.height, ratio, focal))
        tag = f"crop-{aspect.replace(':', 'x')}-{focal[0]:.3f}-{focal[1]:.3f}"
        for width in CROP_WIDTHS:
            if width > cropped.width:
                break
            height = max(1, round(width / ratio))
            resized = cropped.resize((width, height), Image.Resampling.LANCZOS)
            saved = _save(resized, "webp", out_dir / f"{tag}-w{width}.webp", icc)
            made.append(dataclasses.replace(saved, aspect=aspect))
    # An RGB image's pixel is a tuple of three ints (getpixel is typed for every mode).
    pixel = image.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    r, g, b = cast(tuple[int, int, int], pixel)
    return made, f"#{r:02x}{g:02x}{b:02x}"


def crop_box(
    width: int, height: int, ratio: float, focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` (width / height) centred as near the focal point as fits."""
    if width / height > ratio:
        box_w, box_h = round(height * ratio), height
    else:
        box_w, box_h = width, round(width / ratio)
    left = min(max(round(focal[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal[1] * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def _save(image: Image.Image, fmt: str, path: Path, icc: bytes | None) -> Rendition:
    pillow_format, options = _SAVE[fmt]
    if fmt == "jpeg" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    # Only the colour profile is carried over: no EXIF, XMP or text chunks are written.
    extra = {"icc_profile": icc} if icc else {}
    image.save(path, pillow_format, **options, **extra)
    return Rendition(image.width, image.height, fmt, path.name)

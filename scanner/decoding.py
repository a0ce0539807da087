"""An image file's page as a person sees it in a viewer: the one decoder identification, the review
page's preview and the export's attachments all use.

Pillow hands back what the file stores: 16-bit samples, alpha over whatever colour the transparent
paper happens to hold (often black), CMYK, palettes, a JPEG stored sideways with an EXIF note to
turn it. Used as they come, a page a viewer shows as white paper with a cover on it is a black
square to OCR, or an export that cannot be written. Here every page becomes 8-bit greyscale or RGB,
upright, transparency laid on white paper, at the resolution its pixel size makes plausible.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageOps

from scanner.errors import ImageTooLarge
from scanner.paper import plausible_dpi

WHITE = (255, 255, 255, 255)
EXIF_ORIENTATION = 0x0112
_ALPHA_MODES = ("LA", "La", "PA", "RGBA", "RGBa")
_WIDE_GREY = ("I;16", "I;16L", "I;16B", "I;16N", "I")
_EIGHT_BIT_MAX = 255


def check_size(image: Image.Image, max_pixels: int, where: str) -> None:
    """Refuse a page larger than `max_pixels` from its header, before a pixel is decoded.

    Checked per call against the caller's limit, never by changing Pillow's process-wide
    `MAX_IMAGE_PIXELS`: the review server decodes pages on several threads at once.
    """
    if image.width * image.height > max_pixels:
        raise ImageTooLarge(f"{where}: a page is larger than {max_pixels:,} pixels; rescan at 600 dpi or less.")


def stored_dpi(image: Image.Image) -> float | None:
    """The horizontal resolution the file states (JFIF or EXIF, TIFF tags, PNG pHYs), if any."""
    stored = image.info.get("dpi")
    try:
        return float(stored[0]) if stored else None
    except (TypeError, ValueError, IndexError):
        return None


def _wide_grey(image: Image.Image) -> Image.Image:
    """16- and 32-bit greyscale to 8 bits by scale, not by clipping (Pillow's `convert("L")` clips
    every sample above 255 to white). Integer samples beyond 8 bits are read as 16-bit, as TIFF and
    PNG store them; float samples as 0..1 when they stay within it, else as 0..255."""
    samples = np.asarray(image, dtype=np.float64)
    top = float(samples.max()) if samples.size else 0.0
    if image.mode == "F":
        scale = 255.0 if top <= 1.0 else 1.0
    else:
        scale = 1.0 if image.mode == "I" and top <= _EIGHT_BIT_MAX else 255.0 / 65535.0
    return Image.fromarray(np.clip(np.rint(samples * scale), 0, 255).astype(np.uint8), "L")


def _on_white(image: Image.Image) -> Image.Image:
    """Transparent parts of the page laid on white paper, as a viewer shows them."""
    grey = image.mode in ("LA", "La") or (image.mode == "L" and "transparency" in image.info)
    layer = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", layer.size, WHITE), layer).convert("RGB")
    return flat.convert("L") if grey else flat


def has_transparency(image: Image.Image) -> bool:
    return image.mode in _ALPHA_MODES or "transparency" in image.info


def as_seen(frame: Image.Image) -> Image.Image:
    """The current frame, upright (EXIF or TIFF orientation), 8-bit "L" or "RGB", on white."""
    image = ImageOps.exif_transpose(frame) or frame
    if image.mode in _WIDE_GREY or image.mode == "F":
        return _wide_grey(image)
    if has_transparency(image):
        return _on_white(image)
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("L", "RGB"):
        return image
    return image.convert("RGB")


def page_dpi(image: Image.Image) -> float:
    """The resolution of the current frame: the stored one when it fits a sheet of paper, else estimated."""
    return plausible_dpi(image.width, image.height, stored_dpi(image))


def frames_as_seen(image: Image.Image, max_pixels: int, where: str) -> Iterator[tuple[Image.Image, float]]:
    """Every frame of an open image file, as `as_seen` makes it, with its `page_dpi`; one at a time."""
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        check_size(image, max_pixels, where)
        yield as_seen(image), page_dpi(image)


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
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from scanner.errors import ImageTooLarge
from scanner.paper import plausible_dpi, scale_readings

WHITE = (255, 255, 255, 255)
EXIF_ORIENTATION = 0x0112
TIFF_PHOTOMETRIC = 262
_ALPHA_MODES = ("LA", "La", "PA", "RGBA", "RGBa")
_WIDE_GREY = ("I;16", "I;16L", "I;16B", "I;16N", "I")
_EIGHT_BIT_MAX = 255
_SQUARE = 0.02  # resolutions this close across and down are one resolution
_QUARTER_TURNS = (5, 6, 7, 8)  # EXIF orientations that swap width and height


def check_size(image: Image.Image, max_pixels: int, where: str) -> None:
    """Refuse a page larger than `max_pixels` (width × height) from its header, before a pixel is
    decoded: raises ImageTooLarge naming `where`.

    Checked per call against the caller's limit, never by changing Pillow's process-wide
    `MAX_IMAGE_PIXELS`: the review server decodes pages on several threads at once.
    """
    if image.width * image.height > max_pixels:
        raise ImageTooLarge(f"{where}: a page is larger than {max_pixels:,} pixels; rescan at 600 dpi or less.")


def _stored_resolution(image: Image.Image) -> tuple[float | None, float]:
    """(the horizontal resolution the file states, in JFIF or EXIF, TIFF tags or PNG pHYs, or None;
    vertical over horizontal): a fax stores 204 × 98 dpi, and a viewer shows its pixels twice as
    tall as wide."""
    stored: Any = image.info.get("dpi")
    try:
        across, down = float(stored[0]), float(stored[1])
    except (TypeError, ValueError, IndexError):
        return None, 1.0
    if across <= 0:
        return None, 1.0
    return across, down / across if down > 0 and abs(down - across) > _SQUARE * across else 1.0


def _square_pixels(image: Image.Image, aspect: float) -> Image.Image:
    """Pixels made square, at the horizontal resolution: how a viewer lays out a fax."""
    if aspect == 1.0:
        return image
    return image.resize((image.width, max(1, round(image.height / aspect))), Image.Resampling.BILINEAR)


def _wide_grey(image: Image.Image, white_is_zero: bool) -> Image.Image:
    """16- and 32-bit greyscale to 8 bits by scale, not by clipping (Pillow's `convert("L")` clips
    every sample above 255 to white). Integer samples beyond 8 bits are read as 16-bit, as TIFF and
    PNG store them; float samples as 0..1 when they stay within it, else as 0..255. A TIFF whose
    photometric interpretation is WhiteIsZero (tag 262 = 0, TIFF 6.0 section 3) is turned over:
    Pillow does so for 1 and 8 bits, not for 16, and a tester's such page was exported white on black."""
    samples = np.asarray(image, dtype=np.float32)
    top = float(samples.max()) if samples.size else 0.0
    if image.mode == "F":
        scale = 255.0 if top <= 1.0 else 1.0
    else:
        scale = 1.0 if image.mode == "I" and top <= _EIGHT_BIT_MAX else 255.0 / 65535.0
    grey = np.clip(np.rint(samples * scale), 0, 255).astype(np.uint8)
    return Image.fromarray(255 - grey if white_is_zero else grey, "L")


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
    turned = frame.getexif().get(EXIF_ORIENTATION, 1) not in (1, None)
    image = (ImageOps.exif_transpose(frame) or frame) if turned else frame  # no copy of an upright page
    if image.mode in _WIDE_GREY or image.mode == "F":
        image = _wide_grey(image, getattr(frame, "tag_v2", {}).get(TIFF_PHOTOMETRIC) == 0)
    elif has_transparency(image):
        image = _on_white(image)
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    aspect = _stored_resolution(frame)[1]
    if turned and frame.getexif().get(EXIF_ORIENTATION) in _QUARTER_TURNS:
        return _square_pixels(image.transpose(Image.Transpose.TRANSPOSE), aspect).transpose(Image.Transpose.TRANSPOSE)
    return _square_pixels(image, aspect)


def page_dpi(image: Image.Image) -> float:
    """The resolution of the current frame in dots per inch: the stored one when it fits a sheet of
    paper, else estimated from its pixel size."""
    across, aspect = _stored_resolution(image)
    return plausible_dpi(image.width, round(image.height / aspect), across)


def page_readings(image: Image.Image) -> tuple[float, ...]:
    """The resolutions the current frame may have, `page_dpi` first (`scanner.paper.scale_readings`):
    a second when its header makes it a sheet smaller or larger than the everyday one its pixels
    have the shape of, and only its text can say which is true."""
    across, aspect = _stored_resolution(image)
    height = round(image.height / aspect)
    return scale_readings(image.width, height, plausible_dpi(image.width, height, across))


def frame_as_seen(image: Image.Image, index: int, max_pixels: int, where: str) -> tuple[Image.Image, float]:
    """Frame `index` (0-based) of an open image file, seeked to directly (earlier frames are never
    decoded), as `as_seen` makes it, with its `page_dpi` (dots per inch). Raises ImageTooLarge when
    it has more than `max_pixels` pixels; Pillow's own errors on a damaged frame reach the caller,
    here and not at the frame's first use: Pillow decodes lazily, and a JPEG cut short raised its
    OSError from the first crop, outside every guard, as a path "to fix the permissions of". The
    frame is the caller's own, never the file's, which the next seek changes."""
    image.seek(index)
    if image.mode not in ("P", "PA"):
        # Pillow keeps the palette of a palette frame seeked to before, and loading an RGB or grey
        # frame after it fails ("unrecognized image mode"): a TIFF of RGB pages then palette ones.
        image.palette = None
    check_size(image, max_pixels, where)
    image.load()
    seen = as_seen(image)
    # An upright 8-bit frame is the open file itself, which the next seek overwrites in place:
    # a page kept from a TIFF whose next frame is a palette's became "L" outside, "P" inside.
    return (seen.copy() if seen is image else seen), page_dpi(image)


def frames_as_seen(image: Image.Image, max_pixels: int, where: str) -> Iterator[tuple[Image.Image, float]]:
    """Every frame of an open image file, as `frame_as_seen` makes it; one at a time."""
    for index in range(getattr(image, "n_frames", 1)):
        yield frame_as_seen(image, index, max_pixels, where)

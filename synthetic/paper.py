"""What the paper itself adds to a sheet before it is scanned: its tone, punch holes, a staple, a
rubber stamp. Covers drawn by other offices carry all of these, and none may hide a reference.
"""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw

from synthetic.drawing import Pen

HOLE_SPACING_MM = 80.0  # a two-hole office punch, centred on the sheet
HOLE_DIAMETER_MM = 6.0


def tone(pen: Pen, paper: int) -> None:
    """Give the sheet its own shade (255 white, 200 dull recycled), under what is drawn already."""
    pen.image.paste(ImageChops.darker(pen.image, Image.new("L", pen.image.size, paper)))


def punch_holes(pen: Pen, shade: int = 70) -> None:
    """Two punch holes in the left margin, as the scanner lid's shadow shows them: dark discs."""
    middle = pen.image.height / pen.dpi * 25.4 / 2
    radius = HOLE_DIAMETER_MM / 2
    for centre in (middle - HOLE_SPACING_MM / 2, middle + HOLE_SPACING_MM / 2):
        pen.draw.ellipse(
            [pen.px(12 - radius), pen.px(centre - radius), pen.px(12 + radius), pen.px(centre + radius)], fill=shade
        )


def staple(pen: Pen, shade: int = 60) -> None:
    """A staple in the top-left corner and the shadow it throws: a short thick slanted bar."""
    pen.draw.line([(pen.px(6), pen.px(14)), (pen.px(16), pen.px(5))], fill=shade, width=max(2, pen.px(1.2)))
    pen.draw.line(
        [(pen.px(7), pen.px(15.5)), (pen.px(17), pen.px(6.5))], fill=min(255, shade + 90), width=max(1, pen.px(0.8))
    )


def stamp(pen: Pen, x_mm: float, y_mm: float, lines: tuple[str, ...], angle: float = -12.0, shade: int = 110) -> None:
    """A rubber stamp: a ruled box of capitals in lighter ink, pressed on at a slant."""
    face = pen.font("sans-bold", 12)
    height = pen.px(7) * len(lines) + pen.px(6)
    width = max(round(face.getlength(line)) for line in lines) + pen.px(8)
    mark = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mark)
    draw.rectangle([0, 0, width - 1, height - 1], outline=255, width=max(2, pen.px(0.7)))
    for number, line in enumerate(lines):
        draw.text((pen.px(4), pen.px(3) + number * pen.px(7)), line, font=face, fill=255)
    mark = mark.rotate(angle, expand=True, resample=Image.Resampling.BILINEAR)
    pen.image.paste(shade, (pen.px(x_mm), pen.px(y_mm)), mark)

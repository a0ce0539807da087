"""The review page's preview decodes a page as identification does: transparent paper shows white."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from flask.testing import FlaskClient
from PIL import Image, ImageDraw

from tests.support.review import Seeded
from tests.support.engines import both_engines

pytestmark = both_engines


def test_a_cover_on_transparent_paper_previews_as_white_paper(client: FlaskClient, seeded: Seeded,
                                                               login: Callable[..., str]) -> None:
    """Issue 12, input 6: paper stored as (0, 0, 0, 0) was shown as a black page."""
    page = Image.new("RGBA", (620, 877), (0, 0, 0, 0))
    ImageDraw.Draw(page).rectangle((40, 60, 400, 90), fill=(0, 0, 0, 255))
    page.save(seeded.workspace.archive / "race.tif", "PNG")  # the kind is read from the bytes, not the name
    login()
    response = client.get(f"/items/{seeded.ids['race']}/pages/1.png")
    assert response.status_code == 200
    shown = np.asarray(Image.open(io.BytesIO(response.data)).convert("L"))
    assert shown.mean() > 200 and shown.min() < 60

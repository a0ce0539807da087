"""The review page's preview decodes a page as identification does: transparent paper shows white."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from flask.testing import FlaskClient
from PIL import Image, ImageDraw

from catalogue.linking import decide
from catalogue.scans import record_index
from common.files import printable
from store.database import open_database, utc_now
from store.links import insert_links
from store.scans import ScanFile, claim, mark_done
from tests.support.engines import both_engines
from tests.support.review import Seeded
from tests.support.seed import COVERS, case_file_of, draw_scan

pytestmark = both_engines


def test_a_cover_on_transparent_paper_previews_as_white_paper(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    """Issue 12, input 6: paper stored as (0, 0, 0, 0) was shown as a black page."""
    page = Image.new("RGBA", (620, 877), (0, 0, 0, 0))
    ImageDraw.Draw(page).rectangle((40, 60, 400, 90), fill=(0, 0, 0, 255))
    page.save(seeded.workspace.archive / "race.tif", "PNG")  # the kind is read from the bytes, not the name
    login()
    response = client.get(f"/items/{seeded.ids['race']}/pages/1.png")
    assert response.status_code == 200
    shown = np.asarray(Image.open(io.BytesIO(response.data)).convert("L"))
    assert shown.mean() > 200 and shown.min() < 60


def test_a_case_file_still_in_the_inbox_under_a_name_that_is_not_utf8_previews(
    client: FlaskClient, seeded: Seeded, login: Callable[..., str]
) -> None:
    """A Latin-1 client's `Zo\xeb.tif` is stored escaped; the preview must find the real file."""
    cover = replace(COVERS[0], pages=COVERS[0].pages + 1)  # bytes of its own, not a duplicate
    drawn = seeded.workspace.inbox / "drawn.tif"
    draw_scan(drawn, cover)
    path = seeded.workspace.inbox / os.fsdecode(b"Zo\xeb Nowak.tif")
    os.rename(drawn, os.fsencode(path))
    data = path.read_bytes()
    source = printable(path.name)
    with open_database(seeded.workspace.database) as db:
        link = decide(
            case_file_of(cover), record_index(db), closed=False, location=None, settings=seeded.workspace.settings
        )
        with db.transaction() as conn:
            scan_id = claim(
                conn, ScanFile(source, hashlib.sha256(data).hexdigest(), len(data), 0.0, False, None, utc_now()), None
            )
            (document_id,) = insert_links(conn, scan_id, [link])
            mark_done(conn, scan_id, cover.pages, "", 0.1)  # processed, its move still to come
    login()
    response = client.get(f"/items/{document_id}/pages/1.png")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size[0] > 100

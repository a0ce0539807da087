"""The queue and the item page: where a lead links, rejects, corrects or skips one case file.

Decisions go through `decisions.actions` (one transaction with its audit row each); this module
only turns them into pages. The page image is found from the item id alone: no path ever comes
from the request.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from common.files import real_path
from config.errors import CasescanError, UsageError
from decisions.actions import (
    AlreadyDecided,
    NoSuchDocument,
    ReviewItem,
    edit_catalogue_entry,
    get_item,
    link_document,
    note_not_in_template,
    reject_document,
    reopen_document,
    review_items,
)
from review.context import current_workspace, db, user
from review.evidence import KIND_LABELS, compare, heading, next_item, state_label, uk_date
from scanner import ScanError, render_page
from store.documents import get_document
from store.records import record_by_id, search_records

log = logging.getLogger(__name__)
blueprint = Blueprint("items", __name__)

PAGE_DPI = 150


@blueprint.app_template_filter("uk_date")
def _uk_date(value: Any) -> str:
    return uk_date(value)


@blueprint.app_template_filter("sentence")
def _sentence(text: str | None) -> str:
    """The linking code's reasons are clauses ("the name on the cover..."); pages show sentences."""
    return (text[:1].upper() + text[1:]) if text else ""


@blueprint.route("/")
def queue() -> str:
    items = review_items(db())
    counts = Counter(item.kind for item in items)
    return render_template("queue.html", items=items, counts=counts, kinds=KIND_LABELS)


def _item_or_404(document_id: int) -> ReviewItem:
    item = get_item(db(), document_id)
    if item is None:
        abort(404, description="There is no such item; it may have been removed by a re-import.")
    return item


def _render_item(item: ReviewItem, status: int = 200) -> tuple[str, int]:
    settings = current_workspace().settings
    pages = item.last_page - item.first_page + 1
    page = request.args.get("page", 1, type=int) or 1
    page = page if 1 <= page <= pages else 1
    query = request.args.get("q", "").strip()
    candidates = []
    for rank, candidate in enumerate(item.candidates, start=1):
        record = record_by_id(db(), candidate.record_id)
        if record is not None:
            evidence = compare(item.read_reference, item.fields, record, settings.linking.name_match, item.cover_text)
            candidates.append({"rank": rank, "candidate": candidate, "record": record, "evidence": evidence})
    linked = record_by_id(db(), item.record_id) if item.record_id is not None else None
    results = search_records(db(), query) if query else []
    queue_ids = [queued.document_id for queued in review_items(db())]
    return render_template(
        "item.html",
        item=item,
        page=page,
        pages=pages,
        query=query,
        results=results,
        candidates=candidates,
        heading=heading(item),
        state_label=state_label(item),
        linked=linked,
        linked_evidence=compare(item.read_reference, item.fields, linked, settings.linking.name_match, item.cover_text)
        if linked
        else [],
        decided=item.decided_by_person,
        next_id=next_item(queue_ids, item.document_id),
        position=queue_ids.index(item.document_id) + 1 if item.document_id in queue_ids else None,
        waiting=len(queue_ids),
    ), status


@blueprint.route("/items/<id:document_id>")
def item(document_id: int) -> tuple[str, int]:
    return _render_item(_item_or_404(document_id))


@blueprint.route("/items/<id:document_id>/pages/<int:page>.png")
def page_image(document_id: int, page: int) -> Response:
    """Page `page` (1-based within the case file) of an item, rendered from the original scan."""
    document = get_document(db().connection, document_id)
    if document is None or not 1 <= page <= document.last_page - document.first_page + 1:
        abort(404)
    workspace = current_workspace()
    base, relative = (
        (workspace.archive, document.archived_path)
        if document.archived_path
        else (workspace.inbox, document.source_file)
    )
    path = real_path(base, relative).resolve()  # a name that is not UTF-8 is stored escaped
    if not path.is_relative_to(base.resolve()) or not path.is_file():
        log.warning("event=page_missing document=%s", document_id)
        abort(404)
    try:
        image = render_page(path, document.first_page + page - 1, PAGE_DPI)
    except ScanError:
        log.warning("event=page_unrenderable document=%s page=%s", document_id, page)
        abort(404)
    buffer = io.BytesIO()
    (image if image.mode in ("1", "L", "RGB") else image.convert("RGB")).save(buffer, "PNG", optimize=False)
    buffer.seek(0)
    return send_file(buffer, mimetype="image/png", max_age=0)


def _after_decision(document_id: int, queue_before: list[int], done: str) -> Response:
    flash(done, "success")
    queue_now = [queued.document_id for queued in review_items(db())]
    following = next_item(queue_now, document_id, queue_before)
    if following is None:
        flash("The queue is empty: every item has been decided.", "info")
        return redirect(url_for("items.queue"))
    return redirect(url_for("items.item", document_id=following))


def _decide(document_id: int, action: str) -> Response | tuple[str, int]:
    """Run one decision; a lost race shows the item as the other lead left it (409)."""
    item_before = _item_or_404(document_id)
    queue_before = [queued.document_id for queued in review_items(db())]
    seen_state = request.form.get("state") or None
    actor = user().name
    try:
        if action == "link":
            reference = request.form.get("case_reference", "").strip()
            if not reference:
                raise UsageError("Choose a record to link to, or search the template for one.")
            done = link_document(db(), document_id, reference, actor, if_state=seen_state)
            message = f"Linked item {document_id} to {done.record_reference}."
        elif action == "reject":
            reject_document(db(), document_id, actor, if_state=seen_state)
            message = f"Rejected item {document_id}: it is not a case file."
        elif action == "not_in_template":
            note_not_in_template(db(), document_id, actor, request.form.get("note", ""), if_state=seen_state)
            message = (
                f"Item {document_id} is noted as a case the template lacks; it stays in exceptions.csv "
                "as an unknown reference with your note."
            )
        else:
            done = edit_catalogue_entry(
                db(),
                document_id,
                case_reference=request.form.get("case_reference", ""),
                subject_name=request.form.get("subject_name", ""),
                location=request.form.get("location", ""),
                actor=actor,
                if_state=seen_state,
            )
            message = f"Saved the catalogue entry for item {document_id}."
    except AlreadyDecided:
        now = _item_or_404(document_id)
        who = f" by {now.linked_by}" if now.linked_by else ""
        flash(f"Someone else decided this item first: it is {state_label(now)}{who}. Nothing was changed.", "warning")
        return _render_item(now, 409)
    except NoSuchDocument:
        abort(404)
    except CasescanError as error:
        flash(str(error), "error")
        return _render_item(item_before, 400)
    log.info("event=decision action=%s document=%s user_id=%s", action, document_id, user().id)
    return _after_decision(document_id, queue_before, message)


@blueprint.route("/items/<id:document_id>/link", methods=["POST"])
def link(document_id: int) -> Response | tuple[str, int]:
    return _decide(document_id, "link")


@blueprint.route("/items/<id:document_id>/reject", methods=["POST"])
def reject(document_id: int) -> Response | tuple[str, int]:
    return _decide(document_id, "reject")


@blueprint.route("/items/<id:document_id>/catalogue", methods=["POST"])
def catalogue(document_id: int) -> Response | tuple[str, int]:
    return _decide(document_id, "catalogue")


@blueprint.route("/items/<id:document_id>/not-in-template", methods=["POST"])
def not_in_template(document_id: int) -> Response | tuple[str, int]:
    return _decide(document_id, "not_in_template")


@blueprint.route("/items/<id:document_id>/reopen", methods=["POST"])
def reopen(document_id: int) -> Response | tuple[str, int]:
    """An admin undoes a person's decision (with a reason): the item waits for review again."""
    if not user().is_admin:
        abort(403, description="Only an administrator can reopen a decision.")
    item = _item_or_404(document_id)
    try:
        reopened = reopen_document(db(), document_id, user().name, request.form.get("reason", ""))
    except CasescanError as error:
        flash(str(error), "error")
        return _render_item(item, 400)
    log.info("event=decision action=reopen document=%s user_id=%s", document_id, user().id)
    flash(
        f"Item {document_id} is reopened: it waits for review again. The audit log keeps both decisions "
        "and your reason.",
        "success",
    )
    return redirect(url_for("items.item", document_id=reopened.document_id))

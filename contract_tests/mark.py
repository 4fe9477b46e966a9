"""The run's mark: how a create is made the run's, and how a listed image is known to be.

Every create that a conforming server could accept carries the run's mark: a tag
`ims-ct-run.<run id>`, or the text `[ims-ct-run <run id>]` in its description, whichever fits the
body without breaking a rule. A run id is random, so no image made by anyone else carries it. An
image is the run's own only when the image itself, as the target lists it, carries the mark
(`carries_mark`); the ledger (`ledger.py`) records what the run sent and what it was told.
"""

from __future__ import annotations

import copy
from typing import Any

MARK_TAG_KEY = "ims-ct-run"
MAX_TAGS = 10
MAX_DESCRIPTION = 1024


def mark_tag(run_id: str) -> str:
    """The run's mark as a `key.value` tag."""
    return f"{MARK_TAG_KEY}.{run_id}"


def mark_text(run_id: str) -> str:
    """The run's mark as description text."""
    return f"[{MARK_TAG_KEY} {run_id}]"


def _items(value: Any) -> list[Any]:
    """`value` if it is a list, else no items (the body may break any rule)."""
    return value if isinstance(value, list) else []


def tag_keys(body: dict[str, Any]) -> list[str]:
    """The tag keys of a create body, from `tags` and `image_tags`, repeats kept (any body shape)."""
    keys = [str(tag).split(".", 1)[0] for tag in _items(body.get("tags"))]
    return keys + [str(tag.get("key")) for tag in _items(body.get("image_tags")) if isinstance(tag, dict)]


def is_marked(body: dict[str, Any], run_id: str) -> bool:
    """Whether a create body already carries the run's mark."""
    description = body.get("description")
    return (
        mark_tag(run_id) in _items(body.get("tags"))
        or {"key": MARK_TAG_KEY, "value": run_id} in _items(body.get("image_tags"))
        or (isinstance(description, str) and mark_text(run_id) in description)
    )


def marked_bodies(body: dict[str, Any], run_id: str, *, tag_first: bool = False) -> list[dict[str, Any]]:
    """The ways to mark `body`, in order of preference (the caller keeps the first that fits).

    A description is added where there is none, or a tag joins the tag field in use (`tags` when
    neither is); `tag_first` says which of the two comes first. Last, the mark is appended to the
    description. A caller alternates `tag_first` between creates, so that both a body without a
    description and a body without tags still reach the server: a server that wrongly requires one
    of them is caught on every other create.
    """
    if is_marked(body, run_id):
        return [body]
    by_description: list[dict[str, Any]] = []
    by_tag: list[dict[str, Any]] = []
    if "description" not in body:
        by_description.append({**body, "description": mark_text(run_id)})
    if MARK_TAG_KEY not in tag_keys(body):
        if "image_tags" in body:
            tags = body["image_tags"]
            if isinstance(tags, list) and len(tags) < MAX_TAGS:
                by_tag.append({**body, "image_tags": [*copy.deepcopy(tags), {"key": MARK_TAG_KEY, "value": run_id}]})
        else:
            tags = body.get("tags", [])
            if isinstance(tags, list) and len(tags) < MAX_TAGS:
                by_tag.append({**body, "tags": [*tags, mark_tag(run_id)]})
    options = by_tag + by_description if tag_first else by_description + by_tag
    description = body.get("description")
    if isinstance(description, str) and len(description) + 1 + len(mark_text(run_id)) <= MAX_DESCRIPTION:
        options.append({**body, "description": f"{description} {mark_text(run_id)}".lstrip()})
    return options


def carries_mark(image: dict[str, Any], run_id: str) -> bool:
    """Whether a listed image carries the run's mark (as a tag, `key.value` or `key=value`, or in its description)."""
    tags = _items(image.get("tags"))
    if {mark_tag(run_id), f"{MARK_TAG_KEY}={run_id}"} & {tag for tag in tags if isinstance(tag, str)}:
        return True
    if {"key": MARK_TAG_KEY, "value": run_id} in tags:
        return True
    description = image.get("__description")
    return isinstance(description, str) and mark_text(run_id) in description

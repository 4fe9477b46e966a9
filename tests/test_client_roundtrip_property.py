"""Property: whatever the spec's request schema admits, the generated models carry unchanged."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ims_client.models import CreateDataImageRequest
from tests.spec_helpers import SPEC_PATH, is_valid_request

# Schemathesis draws the bodies from the spec's own schema, so this follows every spec change.
_CREATE = schemathesis.openapi.from_path(str(SPEC_PATH)).find_operation_by_id("createDataImage")


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_CREATE.as_strategy())
def test_any_valid_request_body_round_trips_through_the_model(case: Any) -> None:
    body = case.body
    assert is_valid_request(body), f"the generator drew a body the spec rejects: {body!r}"
    assert CreateDataImageRequest.from_dict(body).to_dict() == body


@settings(max_examples=100, deadline=None, database=None)
@given(min_disk=st.integers(min_value=40, max_value=2048), use_image_tags=st.booleans())
def test_models_built_in_python_serialise_to_valid_requests(min_disk: int, use_image_tags: bool) -> None:
    from ims_client.models import ImageTag

    request = CreateDataImageRequest(name="img", image_url="bucket:disk.qcow2", min_disk=min_disk)
    if use_image_tags:
        request.image_tags = [ImageTag(key="env", value="ci")]
    else:
        request.tags = ["env.ci"]
    assert is_valid_request(request.to_dict())

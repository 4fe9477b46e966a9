"""The listImages query as typed keyword arguments: every parameter Huawei documents, by a Python name.

`ImageQuery` is what `Client.list_images(**query)` takes (PEP 692): a type checker checks each
name and value, and `help()` shows the TypedDict. `generated_kwargs` checks each value against the
parameter's schema in the spec the client was generated from, and turns the query into the
generated `list_images` call's arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, TypedDict
from uuid import UUID

import jsonschema

from ims._errors import RequestInvalid
from ims._validation import in_words, spec
from ims_client.models import (
    ListImagesArchitecture,
    ListImagesContainerFormat,
    ListImagesDiskFormat,
    ListImagesImagetype,
    ListImagesIsregistered,
    ListImagesMemberStatus,
    ListImagesOsType,
    ListImagesPlatform,
    ListImagesSortDir,
    ListImagesSortKey,
    ListImagesStatus,
    ListImagesSupportDiskintensive,
    ListImagesSupportHighperformance,
    ListImagesSupportKvm,
    ListImagesSupportKvmInfiniband,
    ListImagesSupportLargememory,
    ListImagesSupportXen,
    ListImagesSupportXenHana,
    ListImagesVirtualEnvType,
    ListImagesVisibility,
)


class ImageQuery(TypedDict, total=False):
    """Filters and order for `list_images`: each documented query parameter, by a Python name.

    A `__name` parameter drops its underscores (`imagetype` is `__imagetype`, `system_cmkid` is
    `__system__cmkid`); the value types are the spec's (the generated `ListImages*` literals).
    """

    name: str  # exact match
    id: str
    imagetype: ListImagesImagetype
    isregistered: ListImagesIsregistered
    whole_image: bool
    system_cmkid: str  # the KMS key
    protected: bool
    visibility: ListImagesVisibility
    owner: str  # a project ID
    status: ListImagesStatus
    flavor_id: str
    container_format: ListImagesContainerFormat
    disk_format: ListImagesDiskFormat
    min_ram: int  # MB
    min_disk: int  # GB
    os_bit: str
    platform: ListImagesPlatform
    os_type: ListImagesOsType
    tag: str  # "key=value"
    member_status: ListImagesMemberStatus
    support_kvm: ListImagesSupportKvm
    support_xen: ListImagesSupportXen
    support_largememory: ListImagesSupportLargememory
    support_diskintensive: ListImagesSupportDiskintensive
    support_highperformance: ListImagesSupportHighperformance
    support_xen_hana: ListImagesSupportXenHana
    support_kvm_infiniband: ListImagesSupportKvmInfiniband
    support_xen_gpu_type: str
    support_kvm_gpu_type: str
    virtual_env_type: ListImagesVirtualEnvType
    enterprise_project_id: str  # "0", a UUID or "all_granted_eps"
    created_at: str  # "<gt|gte|lt|lte|eq|neq>:<yyyy-MM-ddThh:mm:ssZ>"
    updated_at: str
    architecture: ListImagesArchitecture
    sort_key: ListImagesSortKey
    sort_dir: ListImagesSortDir


def _wire(name: str) -> str:
    """The query parameter a Python name stands for."""
    dunder = {"system_cmkid": "__system__cmkid"}
    plain = {"name", "id", "protected", "visibility", "owner", "status", "flavor_id", "container_format"}
    plain |= {"disk_format", "min_ram", "min_disk", "tag", "member_status", "virtual_env_type", "sort_key"}
    plain |= {"enterprise_project_id", "created_at", "updated_at", "architecture", "sort_dir"}
    return dunder.get(name) or (name if name in plain else f"__{name}")


def _generated(name: str) -> str:
    """The generated `list_images` argument for a Python name (the generator writes `__x` as `field_x`)."""
    wire = _wire(name)
    return f"field_{name}" if wire.startswith("__") else name


_BY_WIRE = {_wire(name): name for name in ImageQuery.__annotations__ if _wire(name) != name}


@cache
def _parameters() -> dict[str, dict[str, Any]]:
    """The query parameters of listImages as the spec declares them, by wire name: read once."""
    operation = spec()["paths"]["/v2/cloudimages"]["get"]
    return {parameter["name"]: parameter for parameter in operation["parameters"]}


def generated_kwargs(query: Mapping[str, Any], *, validate: bool = True) -> dict[str, Any]:
    """The generated `list_images` arguments for `query`, each value checked against the spec's schema.

    RequestInvalid names the first argument that is not a filter, or whose value the spec refuses.
    """
    arguments: dict[str, Any] = {}
    schemas = {name: parameter["schema"] for name, parameter in _parameters().items()}
    for given, value in query.items():
        key = _BY_WIRE.get(given, given)  # the documented name (`__imagetype`) works too
        wire = _wire(key)
        if key not in ImageQuery.__annotations__ or wire not in schemas:
            raise RequestInvalid(key, "list.query", "not a listImages filter (see ims.ImageQuery)", keyword="unknown")
        schema = schemas[wire]
        if validate and (error := jsonschema.exceptions.best_match(_validator(wire).iter_errors(value))):
            words = in_words(error, str(_parameters()[wire].get("description", "")))
            raise RequestInvalid(key, "list.query", words, keyword=str(error.validator))
        if schema.get("format") == "uuid":
            value = UUID(str(value))
        arguments[_generated(key)] = value
    return arguments


@cache
def _validator(wire: str) -> jsonschema.protocols.Validator:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    validator: jsonschema.protocols.Validator = jsonschema.Draft202012Validator(
        _parameters()[wire]["schema"], format_checker=checker
    )
    return validator

"""What `ims` returns: plain, frozen values with the documented names, no generator types in sight.

- `Job`: a job as `get_job`/`wait_for_job` read it, its entities' `image_id` and progress lifted
  out (`job.image_id` is a `str`, or None until the job has succeeded);
- `Image`: one image of `list_images`, every field `ImageInfo` documents, by its documented name
  without the leading `__` (`os_type` is `__os_type`, `imagetype` is `__imagetype`,
  `system_cmkid` is `__system__cmkid`, `self_` is `self`); ids are `str`;
- `Answer`: one HTTP answer as it came (status, headers, request id), for `Client(on_answer=...)`.

`tests/test_ims_results.py` holds `Image` and `Job` to the spec's schemas, so a field the spec
adds or retypes fails there until it is added here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from types import MappingProxyType
from typing import Any

from ims._validation import spec
from ims_client.models import Image as _GeneratedImage
from ims_client.models import ImageImagetype, ImageStatus, ImageVisibility, JobProgress, JobStatus


def wire_name(name: str) -> str:
    """The documented (wire) name of an `Image` field: `os_type` → `__os_type`, `self_` → `self`."""
    return _wire_names().get(name, name)


@dataclass(frozen=True, slots=True)
class Job:
    """An asynchronous job as the service shows it now."""

    job_id: str
    job_type: str  # `imsImportDataImageJob` for a data image create
    status: JobStatus  # INIT, RUNNING, SUCCESS or FAIL
    begin_time: str  # UTC, ISO 8601
    end_time: str  # `""` until the job ends
    image_id: str | None = None  # the new image, once the job has succeeded
    image_name: str | None = None
    current_task: str | None = None
    process_percent: float | None = None  # how far it has got (no documented scale)
    error_code: str | None = None  # why it failed, when `status` is FAIL
    fail_reason: str | None = None
    entities: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # all of them, as sent

    @property
    def ended(self) -> bool:
        """True once the job has succeeded or failed: its status never changes again."""
        return self.status in ("SUCCESS", "FAIL")

    @classmethod
    def from_generated(cls, job: JobProgress) -> Job:
        """The job the generated client read."""
        given = job.entities
        entities: dict[str, Any] = given.to_dict() if given else {}
        percent = entities.get("process_percent")
        return cls(
            job_id=job.job_id,
            job_type=job.job_type,
            status=job.status,
            begin_time=job.begin_time,
            end_time=job.end_time,
            image_id=_text(entities.get("image_id")),
            image_name=_text(entities.get("image_name")),
            current_task=_text(entities.get("current_task")),
            process_percent=float(percent) if isinstance(percent, int | float) else None,
            error_code=_text(job.error_code),
            fail_reason=_text(job.fail_reason),
            entities=MappingProxyType(entities),
        )


@dataclass(frozen=True, slots=True)
class Image:
    """One image, as `listImages` shows it (the SDK's `ImageInfo`); the first 20 fields are always set."""

    id: str
    name: str
    status: ImageStatus
    visibility: ImageVisibility
    imagetype: ImageImagetype
    virtual_env_type: str
    owner: str
    protected: bool
    self_: str
    container_format: str
    min_disk: int
    min_ram: int
    tags: tuple[str, ...]
    isregistered: str
    image_source_type: str
    image_size: str
    os_type: str
    created_at: str
    updated_at: str
    active_at: str
    file: str | None = None
    schema: str | None = None
    disk_format: str | None = None
    size: int | None = None
    virtual_size: int | None = None
    checksum: str | None = None
    description: str | None = None
    data_origin: str | None = None
    root_origin: str | None = None
    system_cmkid: str | None = None
    enterprise_project_id: str | None = None
    originalimagename: str | None = None
    backup_id: str | None = None
    os_bit: str | None = None
    os_version: str | None = None
    platform: str | None = None
    productcode: str | None = None
    lazyloading: str | None = None
    os_feature_list: str | None = None
    support_kvm: str | None = None
    support_xen: str | None = None
    support_largememory: str | None = None
    support_diskintensive: str | None = None
    support_highperformance: str | None = None
    support_xen_gpu_type: str | None = None
    support_kvm_gpu_type: str | None = None
    support_xen_hana: str | None = None
    support_kvm_infiniband: str | None = None
    support_fc_inject: str | None = None
    support_arm: str | None = None
    support_amd: str | None = None
    support_agent_list: str | None = None
    support_kvm_hi1822_hisriov: str | None = None
    support_kvm_hi1822_hivirtionet: str | None = None
    system_support_market: bool | None = None
    is_offshelved: str | None = None
    account_code: str | None = None
    sequence_num: str | None = None
    image_displayname: str | None = None
    max_ram: str | None = None
    hw_firmware_type: str | None = None
    hw_vif_multiqueue_enabled: str | None = None
    os_shutdown_timeout: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # fields the spec does not list

    @classmethod
    def from_generated(cls, image: _GeneratedImage) -> Image:
        """The image the generated client read."""
        data = image.to_dict()
        values: dict[str, Any] = {}
        for name in _FIELDS:
            value = data.pop(wire_name(name), None)
            values[name] = tuple(value) if isinstance(value, list) else value
        return cls(**values, extra=MappingProxyType(data))


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP answer as it came, handed to `Client(on_answer=...)` before it is read.

    `operation` is the spec's operationId (`createDataImage`, `listImages`, ...); `attempt` counts
    from 1 (a retried request gives one `Answer` per attempt); `content` is the body as read (at most
    `max_answer_bytes`). Request headers, and so credentials, are never in it.
    """

    operation: str
    method: str
    path: str
    status: int
    headers: Mapping[str, str]
    request_id: str | None
    attempt: int
    elapsed: float  # seconds, from sending to the last byte read
    content: bytes


_FIELDS = tuple(item.name for item in fields(Image) if item.name != "extra")


def python_name(wire: str) -> str:
    """The `Image` field of a documented name: `__os_type` → `os_type`, `__system__cmkid` → `system_cmkid`."""
    name = wire.removeprefix("__").replace("__", "_")
    return "self_" if name == "self" else name


@cache
def _wire_names() -> dict[str, str]:
    return {python_name(wire): wire for wire in spec()["components"]["schemas"]["Image"]["properties"]}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None

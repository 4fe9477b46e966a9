from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus, check_job_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_progress_entities import JobProgressEntities


T = TypeVar("T", bound="JobProgress")


@_attrs_define
class JobProgress:
    """An asynchronous job with its progress; otherwise as `Job`."""

    job_id: str
    """ An asynchronous job's ID, 32 lowercase hexadecimal digits. """
    job_type: str
    """ The kind of job; `imsImportDataImageJob` for `createDataImage`. """
    status: JobStatus
    """ `INIT` (queued), `RUNNING`, then `SUCCESS` or `FAIL`. A job's status only moves forward.
     """
    begin_time: str
    """ When the job started, UTC, ISO 8601. """
    end_time: str
    """ When the job ended, UTC, ISO 8601; `""` while it runs. """
    error_code: None | str | Unset = UNSET
    """ Why the job failed; `null` unless `status` is `FAIL`. """
    fail_reason: None | str | Unset = UNSET
    """ A sentence on why the job failed; `null` unless `status` is `FAIL`. """
    entities: JobProgressEntities | Unset = UNSET
    """ What the job works on, and how far it has got (the SDK's `JobProgressEntities`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        job_type = self.job_type

        status: str = self.status

        begin_time = self.begin_time

        end_time = self.end_time

        error_code: None | str | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        fail_reason: None | str | Unset
        if isinstance(self.fail_reason, Unset):
            fail_reason = UNSET
        else:
            fail_reason = self.fail_reason

        entities: dict[str, Any] | Unset = UNSET
        if not isinstance(self.entities, Unset):
            entities = self.entities.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "job_type": job_type,
                "status": status,
                "begin_time": begin_time,
                "end_time": end_time,
            }
        )
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if fail_reason is not UNSET:
            field_dict["fail_reason"] = fail_reason
        if entities is not UNSET:
            field_dict["entities"] = entities

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_progress_entities import JobProgressEntities  # noqa: PLC0415

        d = dict(src_dict)
        job_id = d.pop("job_id")

        job_type = d.pop("job_type")

        status = check_job_status(d.pop("status"))

        begin_time = d.pop("begin_time")

        end_time = d.pop("end_time")

        def _parse_error_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_code = _parse_error_code(d.pop("error_code", UNSET))

        def _parse_fail_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fail_reason = _parse_fail_reason(d.pop("fail_reason", UNSET))

        _entities = d.pop("entities", UNSET)
        entities: JobProgressEntities | Unset
        if isinstance(_entities, Unset):
            entities = UNSET
        else:
            entities = JobProgressEntities.from_dict(_entities)

        job_progress = cls(
            job_id=job_id,
            job_type=job_type,
            status=status,
            begin_time=begin_time,
            end_time=end_time,
            error_code=error_code,
            fail_reason=fail_reason,
            entities=entities,
        )

        job_progress.additional_properties = d
        return job_progress

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

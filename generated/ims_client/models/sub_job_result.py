from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SubJobResult")


@_attrs_define
class SubJobResult:
    """The outcome of one sub-job (the SDK's `SubJobResult`)."""

    status: str | Unset = UNSET
    """ The sub-job's status. """
    job_id: str | Unset = UNSET
    """ The sub-job's ID. """
    job_type: str | Unset = UNSET
    """ The kind of sub-job. """
    begin_time: str | Unset = UNSET
    """ When it started. """
    end_time: str | Unset = UNSET
    """ When it ended. """
    error_code: str | Unset = UNSET
    """ Why it failed. """
    fail_reason: str | Unset = UNSET
    """ A sentence on why it failed. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        job_id = self.job_id

        job_type = self.job_type

        begin_time = self.begin_time

        end_time = self.end_time

        error_code = self.error_code

        fail_reason = self.fail_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if job_id is not UNSET:
            field_dict["job_id"] = job_id
        if job_type is not UNSET:
            field_dict["job_type"] = job_type
        if begin_time is not UNSET:
            field_dict["begin_time"] = begin_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if fail_reason is not UNSET:
            field_dict["fail_reason"] = fail_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status", UNSET)

        job_id = d.pop("job_id", UNSET)

        job_type = d.pop("job_type", UNSET)

        begin_time = d.pop("begin_time", UNSET)

        end_time = d.pop("end_time", UNSET)

        error_code = d.pop("error_code", UNSET)

        fail_reason = d.pop("fail_reason", UNSET)

        sub_job_result = cls(
            status=status,
            job_id=job_id,
            job_type=job_type,
            begin_time=begin_time,
            end_time=end_time,
            error_code=error_code,
            fail_reason=fail_reason,
        )

        sub_job_result.additional_properties = d
        return sub_job_result

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sub_job_result import SubJobResult


T = TypeVar("T", bound="JobProgressEntities")


@_attrs_define
class JobProgressEntities:
    """What the job works on, and how far it has got (the SDK's `JobProgressEntities`)."""

    image_name: str | Unset = UNSET
    """ The name of the image being created. """
    image_id: UUID | Unset = UNSET
    """ The new image's ID, once the job has succeeded. """
    current_task: str | Unset = UNSET
    """ The step the job is at. """
    process_percent: float | Unset = UNSET
    """ How far the job has got. Huawei documents no scale: every documented example is a fraction
    (0.2, 0.24, 0.4); the mock counts from 0 to 100. Never negative; never goes down.
     """
    sub_job_id: str | Unset = UNSET
    """ The ID of the sub-job at work. """
    sub_jobs_result: list[SubJobResult] | Unset = UNSET
    """ The outcome of each sub-job. """
    sub_jobs_list: list[str] | Unset = UNSET
    """ The IDs of the sub-jobs. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_name = self.image_name

        image_id: str | Unset = UNSET
        if not isinstance(self.image_id, Unset):
            image_id = str(self.image_id)

        current_task = self.current_task

        process_percent = self.process_percent

        sub_job_id = self.sub_job_id

        sub_jobs_result: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sub_jobs_result, Unset):
            sub_jobs_result = []
            for sub_jobs_result_item_data in self.sub_jobs_result:
                sub_jobs_result_item = sub_jobs_result_item_data.to_dict()
                sub_jobs_result.append(sub_jobs_result_item)

        sub_jobs_list: list[str] | Unset = UNSET
        if not isinstance(self.sub_jobs_list, Unset):
            sub_jobs_list = self.sub_jobs_list

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if image_name is not UNSET:
            field_dict["image_name"] = image_name
        if image_id is not UNSET:
            field_dict["image_id"] = image_id
        if current_task is not UNSET:
            field_dict["current_task"] = current_task
        if process_percent is not UNSET:
            field_dict["process_percent"] = process_percent
        if sub_job_id is not UNSET:
            field_dict["subJobId"] = sub_job_id
        if sub_jobs_result is not UNSET:
            field_dict["sub_jobs_result"] = sub_jobs_result
        if sub_jobs_list is not UNSET:
            field_dict["sub_jobs_list"] = sub_jobs_list

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sub_job_result import SubJobResult  # noqa: PLC0415

        d = dict(src_dict)
        image_name = d.pop("image_name", UNSET)

        _image_id = d.pop("image_id", UNSET)
        image_id: UUID | Unset
        if isinstance(_image_id, Unset):
            image_id = UNSET
        else:
            image_id = UUID(_image_id)

        current_task = d.pop("current_task", UNSET)

        process_percent = d.pop("process_percent", UNSET)

        sub_job_id = d.pop("subJobId", UNSET)

        _sub_jobs_result = d.pop("sub_jobs_result", UNSET)
        sub_jobs_result: list[SubJobResult] | Unset = UNSET
        if _sub_jobs_result is not UNSET:
            sub_jobs_result = []
            for sub_jobs_result_item_data in _sub_jobs_result:
                sub_jobs_result_item = SubJobResult.from_dict(sub_jobs_result_item_data)

                sub_jobs_result.append(sub_jobs_result_item)

        sub_jobs_list = cast(list[str], d.pop("sub_jobs_list", UNSET))

        job_progress_entities = cls(
            image_name=image_name,
            image_id=image_id,
            current_task=current_task,
            process_percent=process_percent,
            sub_job_id=sub_job_id,
            sub_jobs_result=sub_jobs_result,
            sub_jobs_list=sub_jobs_list,
        )

        job_progress_entities.additional_properties = d
        return job_progress_entities

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

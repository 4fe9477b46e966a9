from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_entities_result import JobEntitiesResult
    from ..models.sub_job_result import SubJobResult


T = TypeVar("T", bound="JobEntities")


@_attrs_define
class JobEntities:
    """What the job works on (the SDK's `JobEntities`; no field is always present)."""

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
    error_code: str | Unset = UNSET
    """ On `FAIL`, the error code of the step that failed. """
    error: str | Unset = UNSET
    """ On `FAIL`, what went wrong. """
    addition_error_code: str | Unset = UNSET
    """ A further error code, when there is one. """
    addition_error_msg: str | Unset = UNSET
    """ A further error message, when there is one. """
    alarm_code: str | Unset = UNSET
    """ An alarm code, when there is one. """
    results: list[JobEntitiesResult] | Unset = UNSET
    """ The images the job made, one per region or project. """
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

        error_code = self.error_code

        error = self.error

        addition_error_code = self.addition_error_code

        addition_error_msg = self.addition_error_msg

        alarm_code = self.alarm_code

        results: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = []
            for results_item_data in self.results:
                results_item = results_item_data.to_dict()
                results.append(results_item)

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
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if error is not UNSET:
            field_dict["error"] = error
        if addition_error_code is not UNSET:
            field_dict["addition_error_code"] = addition_error_code
        if addition_error_msg is not UNSET:
            field_dict["addition_error_msg"] = addition_error_msg
        if alarm_code is not UNSET:
            field_dict["alarm_code"] = alarm_code
        if results is not UNSET:
            field_dict["results"] = results
        if sub_jobs_result is not UNSET:
            field_dict["sub_jobs_result"] = sub_jobs_result
        if sub_jobs_list is not UNSET:
            field_dict["sub_jobs_list"] = sub_jobs_list

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_entities_result import JobEntitiesResult  # noqa: PLC0415
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

        error_code = d.pop("error_code", UNSET)

        error = d.pop("error", UNSET)

        addition_error_code = d.pop("addition_error_code", UNSET)

        addition_error_msg = d.pop("addition_error_msg", UNSET)

        alarm_code = d.pop("alarm_code", UNSET)

        _results = d.pop("results", UNSET)
        results: list[JobEntitiesResult] | Unset = UNSET
        if _results is not UNSET:
            results = []
            for results_item_data in _results:
                results_item = JobEntitiesResult.from_dict(results_item_data)

                results.append(results_item)

        _sub_jobs_result = d.pop("sub_jobs_result", UNSET)
        sub_jobs_result: list[SubJobResult] | Unset = UNSET
        if _sub_jobs_result is not UNSET:
            sub_jobs_result = []
            for sub_jobs_result_item_data in _sub_jobs_result:
                sub_jobs_result_item = SubJobResult.from_dict(sub_jobs_result_item_data)

                sub_jobs_result.append(sub_jobs_result_item)

        sub_jobs_list = cast(list[str], d.pop("sub_jobs_list", UNSET))

        job_entities = cls(
            image_name=image_name,
            image_id=image_id,
            current_task=current_task,
            process_percent=process_percent,
            error_code=error_code,
            error=error,
            addition_error_code=addition_error_code,
            addition_error_msg=addition_error_msg,
            alarm_code=alarm_code,
            results=results,
            sub_jobs_result=sub_jobs_result,
            sub_jobs_list=sub_jobs_list,
        )

        job_entities.additional_properties = d
        return job_entities

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

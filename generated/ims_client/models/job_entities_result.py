from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobEntitiesResult")


@_attrs_define
class JobEntitiesResult:
    """One image a job made."""

    image_id: str | Unset = UNSET
    """ The image's ID. """
    project_id: str | Unset = UNSET
    """ The project it was made in. """
    status: str | Unset = UNSET
    """ How it ended. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_id = self.image_id

        project_id = self.project_id

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if image_id is not UNSET:
            field_dict["image_id"] = image_id
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_id = d.pop("image_id", UNSET)

        project_id = d.pop("project_id", UNSET)

        status = d.pop("status", UNSET)

        job_entities_result = cls(
            image_id=image_id,
            project_id=project_id,
            status=status,
        )

        job_entities_result.additional_properties = d
        return job_entities_result

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

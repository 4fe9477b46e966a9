from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobEntities")


@_attrs_define
class JobEntities:
    """What the job works on."""

    image_name: str | Unset = UNSET
    """ The name of the image being created. """
    image_id: UUID | Unset = UNSET
    """ The new image's ID, once the job has succeeded. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image_name = self.image_name

        image_id: str | Unset = UNSET
        if not isinstance(self.image_id, Unset):
            image_id = str(self.image_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if image_name is not UNSET:
            field_dict["image_name"] = image_name
        if image_id is not UNSET:
            field_dict["image_id"] = image_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        image_name = d.pop("image_name", UNSET)

        _image_id = d.pop("image_id", UNSET)
        image_id: UUID | Unset
        if isinstance(_image_id, Unset):
            image_id = UNSET
        else:
            image_id = UUID(_image_id)

        job_entities = cls(
            image_name=image_name,
            image_id=image_id,
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

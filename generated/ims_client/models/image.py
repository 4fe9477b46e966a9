from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_status import ImageStatus, check_image_status
from ..models.image_visibility import ImageVisibility, check_image_visibility
from ..types import UNSET, Unset

T = TypeVar("T", bound="Image")


@_attrs_define
class Image:
    """An image as `listImages` shows it."""

    id: UUID
    """ The image's ID. """
    name: str
    """ The image's name. """
    status: ImageStatus
    """ `active` once the image can be used. """
    visibility: ImageVisibility | Unset = UNSET
    """ Who may see the image. """
    virtual_env_type: str | Unset = UNSET
    """ `DataImage` for a data disk image. """
    field_imagetype: str | Unset = UNSET
    """ `private` for the caller's own images. """
    field_os_type: str | Unset = UNSET
    """ The OS type given at creation. """
    field_description: str | Unset = UNSET
    """ The description given at creation. """
    min_disk: int | Unset = UNSET
    """ The smallest disk, in GB, the image may be written to. """
    tags: list[str] | Unset = UNSET
    """ The image's tags as `"key.value"` strings, or `"key"` when the value is empty. """
    created_at: str | Unset = UNSET
    """ When the image was created, UTC, ISO 8601. """
    updated_at: str | Unset = UNSET
    """ When the image last changed, UTC, ISO 8601. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        status: str = self.status

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility

        virtual_env_type = self.virtual_env_type

        field_imagetype = self.field_imagetype

        field_os_type = self.field_os_type

        field_description = self.field_description

        min_disk = self.min_disk

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        created_at = self.created_at

        updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
            }
        )
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if virtual_env_type is not UNSET:
            field_dict["virtual_env_type"] = virtual_env_type
        if field_imagetype is not UNSET:
            field_dict["__imagetype"] = field_imagetype
        if field_os_type is not UNSET:
            field_dict["__os_type"] = field_os_type
        if field_description is not UNSET:
            field_dict["__description"] = field_description
        if min_disk is not UNSET:
            field_dict["min_disk"] = min_disk
        if tags is not UNSET:
            field_dict["tags"] = tags
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        status = check_image_status(d.pop("status"))

        _visibility = d.pop("visibility", UNSET)
        visibility: ImageVisibility | Unset
        if isinstance(_visibility, Unset):
            visibility = UNSET
        else:
            visibility = check_image_visibility(_visibility)

        virtual_env_type = d.pop("virtual_env_type", UNSET)

        field_imagetype = d.pop("__imagetype", UNSET)

        field_os_type = d.pop("__os_type", UNSET)

        field_description = d.pop("__description", UNSET)

        min_disk = d.pop("min_disk", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        created_at = d.pop("created_at", UNSET)

        updated_at = d.pop("updated_at", UNSET)

        image = cls(
            id=id,
            name=name,
            status=status,
            visibility=visibility,
            virtual_env_type=virtual_env_type,
            field_imagetype=field_imagetype,
            field_os_type=field_os_type,
            field_description=field_description,
            min_disk=min_disk,
            tags=tags,
            created_at=created_at,
            updated_at=updated_at,
        )

        image.additional_properties = d
        return image

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.create_data_image_request_os_type import (
    CreateDataImageRequestOsType,
    check_create_data_image_request_os_type,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_tag import ImageTag


T = TypeVar("T", bound="CreateDataImageRequest")


@_attrs_define
class CreateDataImageRequest:
    """The image to create. `name`, `image_url` and `min_disk` are required; no other property
    than those listed is allowed, no property may be `null`, and `tags` and `image_tags` must
    not both be sent (even empty). Tag keys must be unique within the list (not expressible in
    JSON Schema; servers answer `400 IMG.0115`).

    """

    name: str
    """ 1 to 128 characters: ASCII letters, digits, `-`, `.`, `_` and spaces, neither starting nor
    ending with a space.
     """
    image_url: str
    """ The image file in OBS as `<bucket>:<object key>`, split at the first `:`. The bucket
    name has 3 to 63 lowercase letters, digits, `-` and `.`, and starts and ends with a
    letter or digit; the object key has 1 to 1024 characters. The bucket's storage class
    must be Standard.
     """
    min_disk: int
    """ The smallest data disk, in GB, this image may be written to. """
    description: str | Unset = UNSET
    """ Free text about the image, 0 to 1024 characters. Any character (spaces, Unicode) except
    carriage return, line feed, `<` and `>`.
     """
    os_type: CreateDataImageRequestOsType | Unset = "Linux"
    """ The operating system the data disk belongs to; case-sensitive. """
    cmk_id: str | Unset = UNSET
    """ The KMS key that encrypts the image. """
    enterprise_project_id: str | Unset = UNSET
    """ The enterprise project the image belongs to; `0` is the default project. """
    tags: list[str] | Unset = UNSET
    """ Up to 10 tags as `"key.value"` strings (use either this or `image_tags`). Each string is
    split at its first `.`: the key has 1 to 36 of `A-Z a-z 0-9 _ -`, the value 0 to 43 of
    `A-Z a-z 0-9 _ . -`; a string with no `.` is a key with an empty value. Keys are unique.
     """
    image_tags: list[ImageTag] | Unset = UNSET
    """ Up to 10 tags as key/value objects (use either this or `tags`). Keys are unique. """

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        image_url = self.image_url

        min_disk = self.min_disk

        description = self.description

        os_type: str | Unset = UNSET
        if not isinstance(self.os_type, Unset):
            os_type = self.os_type

        cmk_id = self.cmk_id

        enterprise_project_id = self.enterprise_project_id

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        image_tags: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.image_tags, Unset):
            image_tags = []
            for image_tags_item_data in self.image_tags:
                image_tags_item = image_tags_item_data.to_dict()
                image_tags.append(image_tags_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "image_url": image_url,
                "min_disk": min_disk,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if os_type is not UNSET:
            field_dict["os_type"] = os_type
        if cmk_id is not UNSET:
            field_dict["cmk_id"] = cmk_id
        if enterprise_project_id is not UNSET:
            field_dict["enterprise_project_id"] = enterprise_project_id
        if tags is not UNSET:
            field_dict["tags"] = tags
        if image_tags is not UNSET:
            field_dict["image_tags"] = image_tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_tag import ImageTag  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        image_url = d.pop("image_url")

        min_disk = d.pop("min_disk")

        description = d.pop("description", UNSET)

        _os_type = d.pop("os_type", UNSET)
        os_type: CreateDataImageRequestOsType | Unset
        if isinstance(_os_type, Unset):
            os_type = UNSET
        else:
            os_type = check_create_data_image_request_os_type(_os_type)

        cmk_id = d.pop("cmk_id", UNSET)

        enterprise_project_id = d.pop("enterprise_project_id", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        _image_tags = d.pop("image_tags", UNSET)
        image_tags: list[ImageTag] | Unset = UNSET
        if _image_tags is not UNSET:
            image_tags = []
            for image_tags_item_data in _image_tags:
                image_tags_item = ImageTag.from_dict(image_tags_item_data)

                image_tags.append(image_tags_item)

        create_data_image_request = cls(
            name=name,
            image_url=image_url,
            min_disk=min_disk,
            description=description,
            os_type=os_type,
            cmk_id=cmk_id,
            enterprise_project_id=enterprise_project_id,
            tags=tags,
            image_tags=image_tags,
        )

        return create_data_image_request

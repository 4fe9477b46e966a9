from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeleteImageRequest")


@_attrs_define
class DeleteImageRequest:
    """Options for deleting an image."""

    delete_backup: bool | Unset = False
    """ Also delete the backup the image was created from. """

    def to_dict(self) -> dict[str, Any]:
        delete_backup = self.delete_backup

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if delete_backup is not UNSET:
            field_dict["delete_backup"] = delete_backup

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        delete_backup = d.pop("delete_backup", UNSET)

        delete_image_request = cls(
            delete_backup=delete_backup,
        )

        return delete_image_request

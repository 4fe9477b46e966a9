from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageTag")


@_attrs_define
class ImageTag:
    """One image tag."""

    key: str
    """ 1 to 36 of `A-Z a-z 0-9 _ -`. """
    value: str | Unset = ""
    """ 0 to 43 of `A-Z a-z 0-9 _ . -`; empty when left out. """

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
            }
        )
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        value = d.pop("value", UNSET)

        image_tag = cls(
            key=key,
            value=value,
        )

        return image_tag

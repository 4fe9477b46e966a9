from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="QuotaResource")


@_attrs_define
class QuotaResource:
    """One resource's quota."""

    type_: str
    """ The kind of resource, `image`. """
    used: int
    """ How many the project has. """
    quota: int
    """ How many it may have. """
    min_: int | Unset = UNSET
    """ The smallest quota that may be set. """
    max_: int | Unset = UNSET
    """ The largest quota that may be set. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        used = self.used

        quota = self.quota

        min_ = self.min_

        max_ = self.max_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "used": used,
                "quota": quota,
            }
        )
        if min_ is not UNSET:
            field_dict["min"] = min_
        if max_ is not UNSET:
            field_dict["max"] = max_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = d.pop("type")

        used = d.pop("used")

        quota = d.pop("quota")

        min_ = d.pop("min", UNSET)

        max_ = d.pop("max", UNSET)

        quota_resource = cls(
            type_=type_,
            used=used,
            quota=quota,
            min_=min_,
            max_=max_,
        )

        quota_resource.additional_properties = d
        return quota_resource

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

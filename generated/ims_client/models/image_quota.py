from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.image_quota_quotas import ImageQuotaQuotas


T = TypeVar("T", bound="ImageQuota")


@_attrs_define
class ImageQuota:
    """The project's quotas (the SDK's `ShowImageQuotaResponse`)."""

    quotas: ImageQuotaQuotas
    """ The quotas. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quotas = self.quotas.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "quotas": quotas,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_quota_quotas import ImageQuotaQuotas  # noqa: PLC0415

        d = dict(src_dict)
        quotas = ImageQuotaQuotas.from_dict(d.pop("quotas"))

        image_quota = cls(
            quotas=quotas,
        )

        image_quota.additional_properties = d
        return image_quota

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_imagetype import ImageImagetype, check_image_imagetype
from ..models.image_status import ImageStatus, check_image_status
from ..models.image_visibility import ImageVisibility, check_image_visibility
from ..types import UNSET, Unset

T = TypeVar("T", bound="Image")


@_attrs_define
class Image:
    """An image as `listImages` shows it: the official SDK's `ImageInfo`, whose 63 fields are all
    declared here. The 20 the SDK always sets are required. An image made by `createDataImage`
    shows what was sent: `name`, `min_disk`, `__description`, `__os_type` (`Linux` by default),
    the tags, `__data_origin` (`file,<image_url>`), `__system__cmkid` (the `cmk_id`, when one
    was given) and `enterprise_project_id` (`0` by default). Other properties may appear.

    """

    id: UUID
    """ The image's ID. """
    name: str
    """ The image's name. """
    status: ImageStatus
    """ The image's state: `active` once it can be used. """
    visibility: ImageVisibility
    """ Who may see it: `private` (the caller's own), `public` or `shared`. """
    field_imagetype: ImageImagetype
    """ Its kind: `private` for the caller's own, `gold` for a public image, `shared`, `market`. """
    virtual_env_type: str
    """ Its environment type: `DataImage` for a data disk image, `FusionCompute`, `Ironic`, `IsoImage`. """
    owner: str
    """ The project that owns it. """
    protected: bool
    """ Whether it is protected: a protected image cannot be deleted (public images are). """
    self_: str
    """ Its link: `/v2/images/<id>`. """
    container_format: str
    """ Its container format: `bare`. """
    min_disk: int
    """ The smallest disk, in GB, it may be written to. """
    min_ram: int
    """ The least memory, in MB, it needs (`0` for a data image). """
    tags: list[str]
    """ Its tags as `"key.value"` strings, or `"key"` when the value is empty. """
    field_isregistered: str
    """ Whether it is registered: `"true"` or `"false"`. """
    field_image_source_type: str
    """ Its storage back end: `uds`. """
    field_image_size: str
    """ The size of its image file, in bytes, as a string. """
    field_os_type: str
    """ Its OS type: `Linux`, `Windows` or `Other`. """
    created_at: str
    """ When it was created, UTC, e.g. `2018-09-06T14:03:27Z`. """
    updated_at: str
    """ When it last changed, UTC. """
    active_at: str
    """ When it became `active`, UTC. """
    file: str | Unset = UNSET
    """ Its file's link: `/v2/images/<id>/file`. """
    schema: str | Unset = UNSET
    """ Its schema's link: `/v2/schemas/image`. """
    disk_format: str | Unset = UNSET
    """ Its file format: for an image made from a file, the file's extension (`qcow2`, `vhd`, ...). """
    size: int | Unset = UNSET
    """ Not used by IMS (0). """
    virtual_size: int | None | Unset = UNSET
    """ Not used by IMS. """
    checksum: str | Unset = UNSET
    """ Not used by IMS. """
    field_description: str | Unset = UNSET
    """ The description given at creation. """
    field_data_origin: str | Unset = UNSET
    """ Where it came from: `file,<bucket>:<object>` for an image made from an OBS file; empty for a public image.
    Terraform reads it back as `image_url`. """
    field_root_origin: str | Unset = UNSET
    """ `file` when it was imported from a file. """
    field_system_cmkid: str | Unset = UNSET
    """ The KMS key that encrypts it (the create's `cmk_id`). Terraform reads it back as `cmk_id`. """
    enterprise_project_id: str | Unset = UNSET
    """ Its enterprise project: `0` (or absent) for the default one, else a UUID. Terraform reads it back. """
    field_originalimagename: str | Unset = UNSET
    """ The parent image's ID; empty for a public image or one made from a file. """
    field_backup_id: str | Unset = UNSET
    """ The backup it was made from; empty otherwise. """
    field_os_bit: str | Unset = UNSET
    """ Its OS word size, `32` or `64`. """
    field_os_version: str | Unset = UNSET
    """ Its OS version. """
    field_platform: str | Unset = UNSET
    """ Its platform (`CentOS`, `Ubuntu`, `Windows`, ...). """
    field_productcode: str | Unset = UNSET
    """ A Marketplace image's product ID. """
    field_lazyloading: str | Unset = UNSET
    """ Whether it supports lazy loading (`true`, `false`, `True` or `False`). """
    field_os_feature_list: str | Unset = UNSET
    """ Extra features, as JSON text. """
    field_support_kvm: str | Unset = UNSET
    """ `true` when it supports KVM. """
    field_support_xen: str | Unset = UNSET
    """ `true` when it supports XEN. """
    field_support_largememory: str | Unset = UNSET
    """ `true` when it supports very large memory. """
    field_support_diskintensive: str | Unset = UNSET
    """ `true` when it supports disk-intensive storage. """
    field_support_highperformance: str | Unset = UNSET
    """ `true` when it supports high computing performance. """
    field_support_xen_gpu_type: str | Unset = UNSET
    """ Its GPU type under XEN. """
    field_support_kvm_gpu_type: str | Unset = UNSET
    """ Its GPU type under KVM. """
    field_support_xen_hana: str | Unset = UNSET
    """ `true` when it supports HANA under XEN. """
    field_support_kvm_infiniband: str | Unset = UNSET
    """ `true` when it supports InfiniBand NICs under KVM. """
    field_support_fc_inject: str | Unset = UNSET
    """ `true` when it does not support Cloud-Init password or key injection. """
    field_support_arm: str | Unset = UNSET
    """ `true` for an ARM image. """
    field_support_amd: str | Unset = UNSET
    """ `true` for an AMD image. """
    field_support_agent_list: str | Unset = UNSET
    """ The agents it supports, e.g. `hss,ces`. """
    field_support_kvm_hi1822_hisriov: str | Unset = UNSET
    """ `true` when it supports Hi1822 SR-IOV under KVM. """
    field_support_kvm_hi1822_hivirtionet: str | Unset = UNSET
    """ `true` when it supports Hi1822 Virtio-net under KVM. """
    field_system_support_market: bool | Unset = UNSET
    """ Whether it may be published to the Marketplace. """
    field_is_offshelved: str | Unset = UNSET
    """ Whether a Marketplace image is withdrawn (`true` or `false`). """
    field_account_code: str | Unset = UNSET
    """ The charging code of a paid image. """
    field_sequence_num: str | Unset = UNSET
    """ The system disk slot of the ECS it belongs to. """
    field_image_displayname: str | Unset = UNSET
    """ Its display name. """
    max_ram: str | Unset = UNSET
    """ The most memory, in MB, it supports. """
    hw_firmware_type: str | Unset = UNSET
    """ How an ECS boots from it: `bios` or `uefi`. """
    hw_vif_multiqueue_enabled: str | Unset = UNSET
    """ Whether it supports NIC multi-queue (`true` or `false`). """
    os_shutdown_timeout: str | Unset = UNSET
    """ How long an ECS may take to shut down, in seconds. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        status: str = self.status

        visibility: str = self.visibility

        field_imagetype: str = self.field_imagetype

        virtual_env_type = self.virtual_env_type

        owner = self.owner

        protected = self.protected

        self_ = self.self_

        container_format = self.container_format

        min_disk = self.min_disk

        min_ram = self.min_ram

        tags = self.tags

        field_isregistered = self.field_isregistered

        field_image_source_type = self.field_image_source_type

        field_image_size = self.field_image_size

        field_os_type = self.field_os_type

        created_at = self.created_at

        updated_at = self.updated_at

        active_at = self.active_at

        file = self.file

        schema = self.schema

        disk_format = self.disk_format

        size = self.size

        virtual_size: int | None | Unset
        if isinstance(self.virtual_size, Unset):
            virtual_size = UNSET
        else:
            virtual_size = self.virtual_size

        checksum = self.checksum

        field_description = self.field_description

        field_data_origin = self.field_data_origin

        field_root_origin = self.field_root_origin

        field_system_cmkid = self.field_system_cmkid

        enterprise_project_id = self.enterprise_project_id

        field_originalimagename = self.field_originalimagename

        field_backup_id = self.field_backup_id

        field_os_bit = self.field_os_bit

        field_os_version = self.field_os_version

        field_platform = self.field_platform

        field_productcode = self.field_productcode

        field_lazyloading = self.field_lazyloading

        field_os_feature_list = self.field_os_feature_list

        field_support_kvm = self.field_support_kvm

        field_support_xen = self.field_support_xen

        field_support_largememory = self.field_support_largememory

        field_support_diskintensive = self.field_support_diskintensive

        field_support_highperformance = self.field_support_highperformance

        field_support_xen_gpu_type = self.field_support_xen_gpu_type

        field_support_kvm_gpu_type = self.field_support_kvm_gpu_type

        field_support_xen_hana = self.field_support_xen_hana

        field_support_kvm_infiniband = self.field_support_kvm_infiniband

        field_support_fc_inject = self.field_support_fc_inject

        field_support_arm = self.field_support_arm

        field_support_amd = self.field_support_amd

        field_support_agent_list = self.field_support_agent_list

        field_support_kvm_hi1822_hisriov = self.field_support_kvm_hi1822_hisriov

        field_support_kvm_hi1822_hivirtionet = self.field_support_kvm_hi1822_hivirtionet

        field_system_support_market = self.field_system_support_market

        field_is_offshelved = self.field_is_offshelved

        field_account_code = self.field_account_code

        field_sequence_num = self.field_sequence_num

        field_image_displayname = self.field_image_displayname

        max_ram = self.max_ram

        hw_firmware_type = self.hw_firmware_type

        hw_vif_multiqueue_enabled = self.hw_vif_multiqueue_enabled

        os_shutdown_timeout = self.os_shutdown_timeout

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
                "visibility": visibility,
                "__imagetype": field_imagetype,
                "virtual_env_type": virtual_env_type,
                "owner": owner,
                "protected": protected,
                "self": self_,
                "container_format": container_format,
                "min_disk": min_disk,
                "min_ram": min_ram,
                "tags": tags,
                "__isregistered": field_isregistered,
                "__image_source_type": field_image_source_type,
                "__image_size": field_image_size,
                "__os_type": field_os_type,
                "created_at": created_at,
                "updated_at": updated_at,
                "active_at": active_at,
            }
        )
        if file is not UNSET:
            field_dict["file"] = file
        if schema is not UNSET:
            field_dict["schema"] = schema
        if disk_format is not UNSET:
            field_dict["disk_format"] = disk_format
        if size is not UNSET:
            field_dict["size"] = size
        if virtual_size is not UNSET:
            field_dict["virtual_size"] = virtual_size
        if checksum is not UNSET:
            field_dict["checksum"] = checksum
        if field_description is not UNSET:
            field_dict["__description"] = field_description
        if field_data_origin is not UNSET:
            field_dict["__data_origin"] = field_data_origin
        if field_root_origin is not UNSET:
            field_dict["__root_origin"] = field_root_origin
        if field_system_cmkid is not UNSET:
            field_dict["__system__cmkid"] = field_system_cmkid
        if enterprise_project_id is not UNSET:
            field_dict["enterprise_project_id"] = enterprise_project_id
        if field_originalimagename is not UNSET:
            field_dict["__originalimagename"] = field_originalimagename
        if field_backup_id is not UNSET:
            field_dict["__backup_id"] = field_backup_id
        if field_os_bit is not UNSET:
            field_dict["__os_bit"] = field_os_bit
        if field_os_version is not UNSET:
            field_dict["__os_version"] = field_os_version
        if field_platform is not UNSET:
            field_dict["__platform"] = field_platform
        if field_productcode is not UNSET:
            field_dict["__productcode"] = field_productcode
        if field_lazyloading is not UNSET:
            field_dict["__lazyloading"] = field_lazyloading
        if field_os_feature_list is not UNSET:
            field_dict["__os_feature_list"] = field_os_feature_list
        if field_support_kvm is not UNSET:
            field_dict["__support_kvm"] = field_support_kvm
        if field_support_xen is not UNSET:
            field_dict["__support_xen"] = field_support_xen
        if field_support_largememory is not UNSET:
            field_dict["__support_largememory"] = field_support_largememory
        if field_support_diskintensive is not UNSET:
            field_dict["__support_diskintensive"] = field_support_diskintensive
        if field_support_highperformance is not UNSET:
            field_dict["__support_highperformance"] = field_support_highperformance
        if field_support_xen_gpu_type is not UNSET:
            field_dict["__support_xen_gpu_type"] = field_support_xen_gpu_type
        if field_support_kvm_gpu_type is not UNSET:
            field_dict["__support_kvm_gpu_type"] = field_support_kvm_gpu_type
        if field_support_xen_hana is not UNSET:
            field_dict["__support_xen_hana"] = field_support_xen_hana
        if field_support_kvm_infiniband is not UNSET:
            field_dict["__support_kvm_infiniband"] = field_support_kvm_infiniband
        if field_support_fc_inject is not UNSET:
            field_dict["__support_fc_inject"] = field_support_fc_inject
        if field_support_arm is not UNSET:
            field_dict["__support_arm"] = field_support_arm
        if field_support_amd is not UNSET:
            field_dict["__support_amd"] = field_support_amd
        if field_support_agent_list is not UNSET:
            field_dict["__support_agent_list"] = field_support_agent_list
        if field_support_kvm_hi1822_hisriov is not UNSET:
            field_dict["__support_kvm_hi1822_hisriov"] = field_support_kvm_hi1822_hisriov
        if field_support_kvm_hi1822_hivirtionet is not UNSET:
            field_dict["__support_kvm_hi1822_hivirtionet"] = field_support_kvm_hi1822_hivirtionet
        if field_system_support_market is not UNSET:
            field_dict["__system_support_market"] = field_system_support_market
        if field_is_offshelved is not UNSET:
            field_dict["__is_offshelved"] = field_is_offshelved
        if field_account_code is not UNSET:
            field_dict["__account_code"] = field_account_code
        if field_sequence_num is not UNSET:
            field_dict["__sequence_num"] = field_sequence_num
        if field_image_displayname is not UNSET:
            field_dict["__image_displayname"] = field_image_displayname
        if max_ram is not UNSET:
            field_dict["max_ram"] = max_ram
        if hw_firmware_type is not UNSET:
            field_dict["hw_firmware_type"] = hw_firmware_type
        if hw_vif_multiqueue_enabled is not UNSET:
            field_dict["hw_vif_multiqueue_enabled"] = hw_vif_multiqueue_enabled
        if os_shutdown_timeout is not UNSET:
            field_dict["os_shutdown_timeout"] = os_shutdown_timeout

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        status = check_image_status(d.pop("status"))

        visibility = check_image_visibility(d.pop("visibility"))

        field_imagetype = check_image_imagetype(d.pop("__imagetype"))

        virtual_env_type = d.pop("virtual_env_type")

        owner = d.pop("owner")

        protected = d.pop("protected")

        self_ = d.pop("self")

        container_format = d.pop("container_format")

        min_disk = d.pop("min_disk")

        min_ram = d.pop("min_ram")

        tags = cast(list[str], d.pop("tags"))

        field_isregistered = d.pop("__isregistered")

        field_image_source_type = d.pop("__image_source_type")

        field_image_size = d.pop("__image_size")

        field_os_type = d.pop("__os_type")

        created_at = d.pop("created_at")

        updated_at = d.pop("updated_at")

        active_at = d.pop("active_at")

        file = d.pop("file", UNSET)

        schema = d.pop("schema", UNSET)

        disk_format = d.pop("disk_format", UNSET)

        size = d.pop("size", UNSET)

        def _parse_virtual_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        virtual_size = _parse_virtual_size(d.pop("virtual_size", UNSET))

        checksum = d.pop("checksum", UNSET)

        field_description = d.pop("__description", UNSET)

        field_data_origin = d.pop("__data_origin", UNSET)

        field_root_origin = d.pop("__root_origin", UNSET)

        field_system_cmkid = d.pop("__system__cmkid", UNSET)

        enterprise_project_id = d.pop("enterprise_project_id", UNSET)

        field_originalimagename = d.pop("__originalimagename", UNSET)

        field_backup_id = d.pop("__backup_id", UNSET)

        field_os_bit = d.pop("__os_bit", UNSET)

        field_os_version = d.pop("__os_version", UNSET)

        field_platform = d.pop("__platform", UNSET)

        field_productcode = d.pop("__productcode", UNSET)

        field_lazyloading = d.pop("__lazyloading", UNSET)

        field_os_feature_list = d.pop("__os_feature_list", UNSET)

        field_support_kvm = d.pop("__support_kvm", UNSET)

        field_support_xen = d.pop("__support_xen", UNSET)

        field_support_largememory = d.pop("__support_largememory", UNSET)

        field_support_diskintensive = d.pop("__support_diskintensive", UNSET)

        field_support_highperformance = d.pop("__support_highperformance", UNSET)

        field_support_xen_gpu_type = d.pop("__support_xen_gpu_type", UNSET)

        field_support_kvm_gpu_type = d.pop("__support_kvm_gpu_type", UNSET)

        field_support_xen_hana = d.pop("__support_xen_hana", UNSET)

        field_support_kvm_infiniband = d.pop("__support_kvm_infiniband", UNSET)

        field_support_fc_inject = d.pop("__support_fc_inject", UNSET)

        field_support_arm = d.pop("__support_arm", UNSET)

        field_support_amd = d.pop("__support_amd", UNSET)

        field_support_agent_list = d.pop("__support_agent_list", UNSET)

        field_support_kvm_hi1822_hisriov = d.pop("__support_kvm_hi1822_hisriov", UNSET)

        field_support_kvm_hi1822_hivirtionet = d.pop("__support_kvm_hi1822_hivirtionet", UNSET)

        field_system_support_market = d.pop("__system_support_market", UNSET)

        field_is_offshelved = d.pop("__is_offshelved", UNSET)

        field_account_code = d.pop("__account_code", UNSET)

        field_sequence_num = d.pop("__sequence_num", UNSET)

        field_image_displayname = d.pop("__image_displayname", UNSET)

        max_ram = d.pop("max_ram", UNSET)

        hw_firmware_type = d.pop("hw_firmware_type", UNSET)

        hw_vif_multiqueue_enabled = d.pop("hw_vif_multiqueue_enabled", UNSET)

        os_shutdown_timeout = d.pop("os_shutdown_timeout", UNSET)

        image = cls(
            id=id,
            name=name,
            status=status,
            visibility=visibility,
            field_imagetype=field_imagetype,
            virtual_env_type=virtual_env_type,
            owner=owner,
            protected=protected,
            self_=self_,
            container_format=container_format,
            min_disk=min_disk,
            min_ram=min_ram,
            tags=tags,
            field_isregistered=field_isregistered,
            field_image_source_type=field_image_source_type,
            field_image_size=field_image_size,
            field_os_type=field_os_type,
            created_at=created_at,
            updated_at=updated_at,
            active_at=active_at,
            file=file,
            schema=schema,
            disk_format=disk_format,
            size=size,
            virtual_size=virtual_size,
            checksum=checksum,
            field_description=field_description,
            field_data_origin=field_data_origin,
            field_root_origin=field_root_origin,
            field_system_cmkid=field_system_cmkid,
            enterprise_project_id=enterprise_project_id,
            field_originalimagename=field_originalimagename,
            field_backup_id=field_backup_id,
            field_os_bit=field_os_bit,
            field_os_version=field_os_version,
            field_platform=field_platform,
            field_productcode=field_productcode,
            field_lazyloading=field_lazyloading,
            field_os_feature_list=field_os_feature_list,
            field_support_kvm=field_support_kvm,
            field_support_xen=field_support_xen,
            field_support_largememory=field_support_largememory,
            field_support_diskintensive=field_support_diskintensive,
            field_support_highperformance=field_support_highperformance,
            field_support_xen_gpu_type=field_support_xen_gpu_type,
            field_support_kvm_gpu_type=field_support_kvm_gpu_type,
            field_support_xen_hana=field_support_xen_hana,
            field_support_kvm_infiniband=field_support_kvm_infiniband,
            field_support_fc_inject=field_support_fc_inject,
            field_support_arm=field_support_arm,
            field_support_amd=field_support_amd,
            field_support_agent_list=field_support_agent_list,
            field_support_kvm_hi1822_hisriov=field_support_kvm_hi1822_hisriov,
            field_support_kvm_hi1822_hivirtionet=field_support_kvm_hi1822_hivirtionet,
            field_system_support_market=field_system_support_market,
            field_is_offshelved=field_is_offshelved,
            field_account_code=field_account_code,
            field_sequence_num=field_sequence_num,
            field_image_displayname=field_image_displayname,
            max_ram=max_ram,
            hw_firmware_type=hw_firmware_type,
            hw_vif_multiqueue_enabled=hw_vif_multiqueue_enabled,
            os_shutdown_timeout=os_shutdown_timeout,
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

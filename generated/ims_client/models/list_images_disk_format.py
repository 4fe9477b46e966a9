from typing import Literal

ListImagesDiskFormat = Literal["iso", "qcow", "qcow2", "qed", "raw", "vdi", "vhd", "vhdx", "vmdk", "zvhd", "zvhd2"]

LIST_IMAGES_DISK_FORMAT_VALUES: set[ListImagesDiskFormat] = {
    "iso",
    "qcow",
    "qcow2",
    "qed",
    "raw",
    "vdi",
    "vhd",
    "vhdx",
    "vmdk",
    "zvhd",
    "zvhd2",
}


def check_list_images_disk_format(value: str) -> ListImagesDiskFormat:
    if value in LIST_IMAGES_DISK_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_DISK_FORMAT_VALUES!r}")

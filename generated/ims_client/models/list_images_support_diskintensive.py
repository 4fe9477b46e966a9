from typing import Literal

ListImagesSupportDiskintensive = Literal["false", "true"]

LIST_IMAGES_SUPPORT_DISKINTENSIVE_VALUES: set[ListImagesSupportDiskintensive] = {
    "false",
    "true",
}


def check_list_images_support_diskintensive(value: str) -> ListImagesSupportDiskintensive:
    if value in LIST_IMAGES_SUPPORT_DISKINTENSIVE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SUPPORT_DISKINTENSIVE_VALUES!r}")

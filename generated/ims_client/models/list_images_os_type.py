from typing import Literal

ListImagesOsType = Literal["Linux", "Other", "Windows"]

LIST_IMAGES_OS_TYPE_VALUES: set[ListImagesOsType] = {
    "Linux",
    "Other",
    "Windows",
}


def check_list_images_os_type(value: str) -> ListImagesOsType:
    if value in LIST_IMAGES_OS_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_OS_TYPE_VALUES!r}")

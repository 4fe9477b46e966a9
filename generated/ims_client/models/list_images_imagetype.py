from typing import Literal

ListImagesImagetype = Literal["gold", "market", "private", "shared"]

LIST_IMAGES_IMAGETYPE_VALUES: set[ListImagesImagetype] = {
    "gold",
    "market",
    "private",
    "shared",
}


def check_list_images_imagetype(value: str) -> ListImagesImagetype:
    if value in LIST_IMAGES_IMAGETYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_IMAGETYPE_VALUES!r}")

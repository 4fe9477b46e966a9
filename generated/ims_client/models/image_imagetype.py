from typing import Literal

ImageImagetype = Literal["gold", "market", "private", "shared"]

IMAGE_IMAGETYPE_VALUES: set[ImageImagetype] = {
    "gold",
    "market",
    "private",
    "shared",
}


def check_image_imagetype(value: str) -> ImageImagetype:
    if value in IMAGE_IMAGETYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMAGE_IMAGETYPE_VALUES!r}")

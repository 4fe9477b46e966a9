from typing import Literal

ImageVisibility = Literal["private", "public", "shared"]

IMAGE_VISIBILITY_VALUES: set[ImageVisibility] = {
    "private",
    "public",
    "shared",
}


def check_image_visibility(value: str) -> ImageVisibility:
    if value in IMAGE_VISIBILITY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMAGE_VISIBILITY_VALUES!r}")

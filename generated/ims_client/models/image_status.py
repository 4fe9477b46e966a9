from typing import Literal

ImageStatus = Literal["active", "deleted", "killed", "queued", "saving"]

IMAGE_STATUS_VALUES: set[ImageStatus] = {
    "active",
    "deleted",
    "killed",
    "queued",
    "saving",
}


def check_image_status(value: str) -> ImageStatus:
    if value in IMAGE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMAGE_STATUS_VALUES!r}")

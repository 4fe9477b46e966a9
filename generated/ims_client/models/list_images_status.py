from typing import Literal

ListImagesStatus = Literal["active", "deleted", "killed", "queued", "saving"]

LIST_IMAGES_STATUS_VALUES: set[ListImagesStatus] = {
    "active",
    "deleted",
    "killed",
    "queued",
    "saving",
}


def check_list_images_status(value: str) -> ListImagesStatus:
    if value in LIST_IMAGES_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_STATUS_VALUES!r}")

from typing import Literal

ListImagesContainerFormat = Literal["bare"]

LIST_IMAGES_CONTAINER_FORMAT_VALUES: set[ListImagesContainerFormat] = {
    "bare",
}


def check_list_images_container_format(value: str) -> ListImagesContainerFormat:
    if value in LIST_IMAGES_CONTAINER_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_CONTAINER_FORMAT_VALUES!r}")

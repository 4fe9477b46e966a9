from typing import Literal

ListImagesIsregistered = Literal["false", "true"]

LIST_IMAGES_ISREGISTERED_VALUES: set[ListImagesIsregistered] = {
    "false",
    "true",
}


def check_list_images_isregistered(value: str) -> ListImagesIsregistered:
    if value in LIST_IMAGES_ISREGISTERED_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_ISREGISTERED_VALUES!r}")

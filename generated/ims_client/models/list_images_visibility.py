from typing import Literal

ListImagesVisibility = Literal["private", "public", "shared"]

LIST_IMAGES_VISIBILITY_VALUES: set[ListImagesVisibility] = {
    "private",
    "public",
    "shared",
}


def check_list_images_visibility(value: str) -> ListImagesVisibility:
    if value in LIST_IMAGES_VISIBILITY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_VISIBILITY_VALUES!r}")

from typing import Literal

ListImagesSortDir = Literal["asc", "desc"]

LIST_IMAGES_SORT_DIR_VALUES: set[ListImagesSortDir] = {
    "asc",
    "desc",
}


def check_list_images_sort_dir(value: str) -> ListImagesSortDir:
    if value in LIST_IMAGES_SORT_DIR_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SORT_DIR_VALUES!r}")

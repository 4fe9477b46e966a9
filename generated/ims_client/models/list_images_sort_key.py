from typing import Literal

ListImagesSortKey = Literal["container_format", "created_at", "disk_format", "id", "name", "size", "status"]

LIST_IMAGES_SORT_KEY_VALUES: set[ListImagesSortKey] = {
    "container_format",
    "created_at",
    "disk_format",
    "id",
    "name",
    "size",
    "status",
}


def check_list_images_sort_key(value: str) -> ListImagesSortKey:
    if value in LIST_IMAGES_SORT_KEY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SORT_KEY_VALUES!r}")

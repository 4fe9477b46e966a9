from typing import Literal

ListImagesSupportLargememory = Literal["false", "true"]

LIST_IMAGES_SUPPORT_LARGEMEMORY_VALUES: set[ListImagesSupportLargememory] = {
    "false",
    "true",
}


def check_list_images_support_largememory(value: str) -> ListImagesSupportLargememory:
    if value in LIST_IMAGES_SUPPORT_LARGEMEMORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SUPPORT_LARGEMEMORY_VALUES!r}")

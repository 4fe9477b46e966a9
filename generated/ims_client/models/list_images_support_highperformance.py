from typing import Literal

ListImagesSupportHighperformance = Literal["false", "true"]

LIST_IMAGES_SUPPORT_HIGHPERFORMANCE_VALUES: set[ListImagesSupportHighperformance] = {
    "false",
    "true",
}


def check_list_images_support_highperformance(value: str) -> ListImagesSupportHighperformance:
    if value in LIST_IMAGES_SUPPORT_HIGHPERFORMANCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SUPPORT_HIGHPERFORMANCE_VALUES!r}")

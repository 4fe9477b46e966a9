from typing import Literal

ListImagesSupportXen = Literal["false", "true"]

LIST_IMAGES_SUPPORT_XEN_VALUES: set[ListImagesSupportXen] = {
    "false",
    "true",
}


def check_list_images_support_xen(value: str) -> ListImagesSupportXen:
    if value in LIST_IMAGES_SUPPORT_XEN_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SUPPORT_XEN_VALUES!r}")

from typing import Literal

ListImagesSupportXenHana = Literal["false", "true"]

LIST_IMAGES_SUPPORT_XEN_HANA_VALUES: set[ListImagesSupportXenHana] = {
    "false",
    "true",
}


def check_list_images_support_xen_hana(value: str) -> ListImagesSupportXenHana:
    if value in LIST_IMAGES_SUPPORT_XEN_HANA_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SUPPORT_XEN_HANA_VALUES!r}")

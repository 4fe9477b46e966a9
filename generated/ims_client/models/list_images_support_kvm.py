from typing import Literal

ListImagesSupportKvm = Literal["false", "true"]

LIST_IMAGES_SUPPORT_KVM_VALUES: set[ListImagesSupportKvm] = {
    "false",
    "true",
}


def check_list_images_support_kvm(value: str) -> ListImagesSupportKvm:
    if value in LIST_IMAGES_SUPPORT_KVM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SUPPORT_KVM_VALUES!r}")

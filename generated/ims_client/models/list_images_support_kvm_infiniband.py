from typing import Literal

ListImagesSupportKvmInfiniband = Literal["false", "true"]

LIST_IMAGES_SUPPORT_KVM_INFINIBAND_VALUES: set[ListImagesSupportKvmInfiniband] = {
    "false",
    "true",
}


def check_list_images_support_kvm_infiniband(value: str) -> ListImagesSupportKvmInfiniband:
    if value in LIST_IMAGES_SUPPORT_KVM_INFINIBAND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_SUPPORT_KVM_INFINIBAND_VALUES!r}")

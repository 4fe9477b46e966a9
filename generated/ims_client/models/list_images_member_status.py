from typing import Literal

ListImagesMemberStatus = Literal["accepted", "pending", "rejected"]

LIST_IMAGES_MEMBER_STATUS_VALUES: set[ListImagesMemberStatus] = {
    "accepted",
    "pending",
    "rejected",
}


def check_list_images_member_status(value: str) -> ListImagesMemberStatus:
    if value in LIST_IMAGES_MEMBER_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_MEMBER_STATUS_VALUES!r}")

from typing import Literal

ListImagesPlatform = Literal[
    "CentOS",
    "CoreOS",
    "Debian",
    "EulerOS",
    "Fedora",
    "OpenSUSE",
    "Oracle Linux",
    "Other",
    "RedHat",
    "SUSE",
    "Ubuntu",
    "Windows",
]

LIST_IMAGES_PLATFORM_VALUES: set[ListImagesPlatform] = {
    "CentOS",
    "CoreOS",
    "Debian",
    "EulerOS",
    "Fedora",
    "OpenSUSE",
    "Oracle Linux",
    "Other",
    "RedHat",
    "SUSE",
    "Ubuntu",
    "Windows",
}


def check_list_images_platform(value: str) -> ListImagesPlatform:
    if value in LIST_IMAGES_PLATFORM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_PLATFORM_VALUES!r}")

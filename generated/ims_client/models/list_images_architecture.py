from typing import Literal

ListImagesArchitecture = Literal["arm", "x86"]

LIST_IMAGES_ARCHITECTURE_VALUES: set[ListImagesArchitecture] = {
    "arm",
    "x86",
}


def check_list_images_architecture(value: str) -> ListImagesArchitecture:
    if value in LIST_IMAGES_ARCHITECTURE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_ARCHITECTURE_VALUES!r}")

from typing import Literal

ListImagesVirtualEnvType = Literal["DataImage", "FusionCompute", "Ironic", "IsoImage"]

LIST_IMAGES_VIRTUAL_ENV_TYPE_VALUES: set[ListImagesVirtualEnvType] = {
    "DataImage",
    "FusionCompute",
    "Ironic",
    "IsoImage",
}


def check_list_images_virtual_env_type(value: str) -> ListImagesVirtualEnvType:
    if value in LIST_IMAGES_VIRTUAL_ENV_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_IMAGES_VIRTUAL_ENV_TYPE_VALUES!r}")

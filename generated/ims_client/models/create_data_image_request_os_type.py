from typing import Literal

CreateDataImageRequestOsType = Literal["Linux", "Windows"]

CREATE_DATA_IMAGE_REQUEST_OS_TYPE_VALUES: set[CreateDataImageRequestOsType] = {
    "Linux",
    "Windows",
}


def check_create_data_image_request_os_type(value: str) -> CreateDataImageRequestOsType:
    if value in CREATE_DATA_IMAGE_REQUEST_OS_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CREATE_DATA_IMAGE_REQUEST_OS_TYPE_VALUES!r}")

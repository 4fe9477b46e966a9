from typing import Literal

JobStatus = Literal["FAIL", "INIT", "RUNNING", "SUCCESS"]

JOB_STATUS_VALUES: set[JobStatus] = {
    "FAIL",
    "INIT",
    "RUNNING",
    "SUCCESS",
}


def check_job_status(value: str) -> JobStatus:
    if value in JOB_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {JOB_STATUS_VALUES!r}")

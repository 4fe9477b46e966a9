"""The two error envelopes (`response.ims-envelope`, `response.gateway-envelope`) and the mock's codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImsError(Exception):
    """A service error: `{"error": {"code": "IMG.xxxx", "message": ...}}`."""

    status: int
    code: str
    message: str
    retry_after: int | None = None  # seconds, sent as Retry-After (a refusal that time will mend)
    # The rule refused: a key of rules.RULES for the create rules, else the contract's rule id
    # (`list.query`); "" for errors that refuse no rule. Never sent: a layer matches on it.
    rule: str = ""

    def body(self) -> dict[str, object]:
        """The JSON body of this error."""
        return {"error": {"code": self.code, "message": self.message}}


@dataclass(frozen=True)
class GatewayError(Exception):
    """An API gateway error: `{"error_code": "APIGW.xxxx", "error_msg": ..., "request_id": ...}`."""

    status: int
    code: str
    message: str
    retry_after: int | None = None
    close: bool = False  # answer with Connection: close and close the connection after it

    def body(self, request_id: str) -> dict[str, object]:
        """The JSON body of this error for the request `request_id`."""
        return {"error_code": self.code, "error_msg": self.message, "request_id": request_id}


# Gateway errors (`response.gateway-envelope`).
NO_SUCH_API = GatewayError(404, "APIGW.0101", "The API does not exist or has not been published in the environment")
BODY_TOO_LARGE = GatewayError(413, "APIGW.0201", "Request entity too large")
# The gateway's own protections (`gateway.*`): the connection is closed after each of these.
BODY_TIMEOUT = GatewayError(408, "APIGW.0201", "Request timeout: the body did not arrive in time", close=True)
HEADER_TIMEOUT = GatewayError(408, "APIGW.0201", "Request timeout: the headers did not arrive in time", close=True)
AMBIGUOUS_FRAMING = GatewayError(
    400, "APIGW.0201", "Bad request: both Content-Length and Transfer-Encoding", close=True
)
BAD_CONTENT_LENGTH = GatewayError(400, "APIGW.0201", "Bad request: Content-Length is not a number", close=True)
HEAD_TOO_LARGE = GatewayError(400, "APIGW.0201", "Bad request: the request line and headers are too large", close=True)
MALFORMED_HTTP = GatewayError(400, "APIGW.0201", "Bad request: the request is not valid HTTP/1.1", close=True)


def overloaded(retry_after: int) -> GatewayError:
    """A 503 for new work beyond the connection limit or the in-flight memory budget (`gateway.overload`)."""
    return GatewayError(503, "APIGW.0308", "The server is overloaded; try again later", retry_after, close=True)


def unauthorized(reason: str) -> GatewayError:
    """A 401 for a missing or invalid token or signature; `reason` never contains a secret."""
    return GatewayError(401, "APIGW.0301", f"Incorrect IAM authentication information: {reason}")


def throttled(retry_after: int) -> GatewayError:
    """A 429 telling the caller to wait `retry_after` seconds."""
    return GatewayError(429, "APIGW.0308", "The throttling threshold has been reached", retry_after)


# Service errors that are not request-body rules (those live in rules.RULES). Each code is the one
# Huawei's IMS error-code table documents for that meaning; where the table has none (a job that
# is not there, an internal error), a code the table does not list (docs/contract.md, "Codes").
MALFORMED = ImsError(400, "IMG.0001", "The request body is not valid JSON.")
WRONG_CONTENT_TYPE = ImsError(400, "IMG.0001", "The Content-Type must be application/json.")
DUPLICATE_JSON_KEY = ImsError(400, "IMG.0001", "The request body repeats a key in a JSON object.")
EMPTY_BODY = ImsError(400, "IMG.0007", "The request body is empty.")
JOB_NOT_FOUND = ImsError(404, "IMG.0404", "The job does not exist.")
IMAGE_NOT_FOUND = ImsError(404, "IMG.0144", "The image does not exist.")
BAD_QUERY = ImsError(400, "IMG.0017", "The URL query conditions are invalid.", rule="list.query")
BAD_IMAGETYPE = ImsError(400, "IMG.0024", "The image type in the request is incorrect.")
BAD_MARKER = ImsError(
    400,
    "IMG.0086",
    "No image was found: the marker is not the ID of an image this project can see.",
    rule="list.marker",
)
BAD_ARCHITECTURE = ImsError(400, "IMG.0212", "The value of architecture is not x86 or arm.")
UNKNOWN_FLAVOR = ImsError(400, "IMG.0192", "The flavor used to query images is invalid: this service knows no flavors.")
BAD_ENTERPRISE_PROJECT = ImsError(
    400, "IMG.0155", "Failed to check the enterprise project ID: use 0, a lowercase UUID or all_granted_eps."
)
PROTECTED_IMAGE = ImsError(400, "IMG.0091", "The protected image cannot be deleted.")


def bad_query(detail: str) -> ImsError:
    """A listImages query the service cannot honour (`list.query`): 400 IMG.0017, saying why."""
    return ImsError(400, BAD_QUERY.code, f"{BAD_QUERY.message[:-1]}: {detail}.", rule=BAD_QUERY.rule)


TOO_MANY_JOBS = ImsError(400, "IMG.0060", "The number of tasks exceeds the flow control limit.")
QUOTA_REACHED = ImsError(400, "IMG.0015", "The number of private images has reached the maximum allowed.")
INTERNAL = ImsError(500, "IMG.0500", "Internal service error.")

# The job failure (`job.fail`).
IMAGE_FILE_UNUSABLE_CODE = "IMG.0057"
IMAGE_FILE_UNUSABLE_REASON = "The image file does not exist or its format is not supported."

"""Domain errors know nothing of HTTP; the API layer gives every one of them its status."""
from astrobookings.api.errors import HTTP_STATUS, status_of
from services.kernel import errors


def _domain_error_classes():
    return [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.DomainError)
            and c is not errors.DomainError]


def test_every_domain_error_has_an_http_status_in_the_api_layer():
    assert {c: status_of(c("x") if c is not errors.TooManyRequests else c("x", 3)) for c in _domain_error_classes()} == {
        errors.ValidationFailed: 422, errors.NotAuthenticated: 401, errors.Forbidden: 403, errors.NotFound: 404,
        errors.Conflict: 409, errors.TooManyRequests: 429, errors.PaymentDeclined: 402,
        errors.ServiceUnavailable: 503}
    assert set(HTTP_STATUS) == set(_domain_error_classes())


def test_domain_errors_carry_no_http_status():
    assert not any("status" in vars(c) for c in _domain_error_classes() + [errors.DomainError])

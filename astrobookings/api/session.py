"""The browser session cookie: set from a one-time sign-in code, cleared on sign-out.

HttpOnly (no page script reads it), SameSite=Strict (no other site's page sends it), Secure behind
HTTPS (SESSION_COOKIE_SECURE overrides it, for a laptop on plain http). Both routes refuse
requests that do not come from one of our own pages (Origin / Sec-Fetch-Site). The REST API
itself keeps using Bearer tokens and never reads this cookie.
"""
from datetime import datetime, timezone

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from astrobookings.api.deps import client_address
from astrobookings.api.security import same_origin
from services.core.settings import get_settings
from services.auth import accounts as auth
from services.auth import security, sessions
from services.kernel.errors import DomainError

router = APIRouter(prefix="/api/auth", tags=["auth"])


class SessionStart(BaseModel):
    code: str = Field(min_length=1, max_length=100)


def _cross_site() -> JSONResponse:
    return JSONResponse({"error": {"code": "cross_site", "message": "Sign in from AstroBookings' own pages.",
                                   "field": None}}, status_code=403)


def _set_cookie(response: Response, token: str, max_age: int) -> None:
    response.set_cookie(sessions.cookie_name(), token, max_age=max_age, path="/", httponly=True,
                        secure=get_settings().cookie_secure, samesite="strict")


@router.post("/session", status_code=204, responses={400: {"description": "Unknown or used code"},
                                                     403: {"description": "Not from one of our pages"}})
def start_session(body: SessionStart, request: Request):
    """Exchange the one-time code a sign-in page received for the HttpOnly session cookie."""
    if not same_origin(request):
        return _cross_site()
    token = sessions.redeem(body.code)
    if token is None:
        return JSONResponse({"error": {"code": "invalid_code", "message": "This sign-in has expired. Sign in again.",
                                       "field": "code"}}, status_code=400)
    claims = security.decode_token(token, get_settings().verification_secrets)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    _set_cookie(response, token, max(int(claims["exp"] - datetime.now(timezone.utc).timestamp()), 1))
    return response


@router.post("/sign-out", status_code=303, response_class=RedirectResponse)
def sign_out(request: Request):
    """The navbar's sign-out form: revokes the session's token, clears the cookie, goes home."""
    if not same_origin(request):
        return _cross_site()
    token = sessions.token_from_cookies(request.headers.get("cookie"))
    if token:
        try:
            auth.logout(token, entry_point="web", client_address=client_address(request))
        except DomainError:
            pass  # already signed out or expired: clearing the cookie is all that is left
    response = RedirectResponse("/", status_code=303, headers={"Cache-Control": "no-store"})
    response.delete_cookie(sessions.cookie_name(), path="/", httponly=True, secure=get_settings().cookie_secure,
                           samesite="strict")
    return response

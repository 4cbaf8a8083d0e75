"""Request plumbing shared by every router: the acting user and the client address."""
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services import auth
from services.actor import Actor

bearer = HTTPBearer(auto_error=False)


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def bearer_token(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> str | None:
    return credentials.credentials if credentials else None


def current_actor(request: Request, token: str | None = Depends(bearer_token)) -> Actor:
    return auth.authenticate(token, entry_point="api", client_address=client_address(request))


def role_required(*roles: str):
    def dependency(actor: Actor = Depends(current_actor)) -> Actor:
        return actor.require(*roles)
    return dependency

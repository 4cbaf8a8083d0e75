"""Request plumbing shared by every router: the acting user, typed per role, and the client address.

    def get_profile(actor: AgencyActor): ...   # 401 without a valid token, 403 for another role

The services check the role again themselves: the API, the web UI and the scheduler get the same checks.
"""
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.auth import accounts as auth
from services.kernel.actor import Actor

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


SignedIn = Annotated[Actor, Depends(current_actor)]
TravelerActor = Annotated[Actor, Depends(role_required("traveler"))]
AgencyActor = Annotated[Actor, Depends(role_required("agency"))]
FinanceActor = Annotated[Actor, Depends(role_required("finance", "admin"))]
OperatorActor = Annotated[Actor, Depends(role_required("it", "admin"))]
AdminActor = Annotated[Actor, Depends(role_required("admin"))]

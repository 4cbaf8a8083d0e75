from fastapi import APIRouter, Depends, Request

from astrobookings.api.deps import SignedIn, bearer_token, client_address
from services.core.models.users import LoginRequest, ProfileUpdate, TokenResponse, UserPublic, UserRegister
from services.auth import accounts as auth

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/register", response_model=UserPublic, status_code=201)
def register(body: UserRegister, request: Request):
    return auth.register(body, client_address(request), entry_point="api")


@router.post("/login", response_model=TokenResponse)
def login(body: LoginRequest, request: Request):
    return auth.login(body, client_address(request), entry_point="api")


@router.post("/logout", status_code=204)
def logout(request: Request, token: str | None = Depends(bearer_token)):
    auth.logout(token, entry_point="api", client_address=client_address(request))


@router.get("/me", response_model=UserPublic)
def me(actor: SignedIn):
    return auth.me(actor)


@router.put("/me", response_model=UserPublic)
def update_me(actor: SignedIn, body: ProfileUpdate):
    return auth.update_profile(actor.require("traveler"), body)

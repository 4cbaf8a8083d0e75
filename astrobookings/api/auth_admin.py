from typing import Annotated, Literal

from fastapi import APIRouter, Query

from astrobookings.api.deps import AdminActor
from astrobookings.api.paging import Page
from astrobookings.api.params import PageNumber, PerPage, Search, UserId
from services.core.models.documents import Role
from services.core.models.users import UserCreate, UserPublic, UserUpdate
from services.auth import users

UserSort = Annotated[Literal["email", "name", "created", "-created", "last_sign_in", "-last_sign_in"],
                     Query(description="Order of the list; a leading '-' puts the newest first.")]

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/users", response_model=Page[UserPublic])
def list_users(actor: AdminActor, role: Role | None = Query(None, description="Only accounts of this role."), q: Search = None, sort: UserSort = "email",
               page: PageNumber = 1, per_page: PerPage = 20):
    items, total = users.list_users(actor, role=role.value if role else None, search=q, sort=sort, page=page,
                                    per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(actor: AdminActor, body: UserCreate):
    return users.create_user(actor, body)


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(actor: AdminActor, user_id: UserId, body: UserUpdate):
    return users.update_user(actor, user_id, body)

from fastapi import APIRouter, Depends, Query

from astrobookings.api.deps import role_required
from astrobookings.api.pages import Page
from astrobookings.models.users import UserCreate, UserPublic, UserUpdate
from services import users
from services.actor import Actor

router = APIRouter(prefix="/api/admin", tags=["admin"])
admin_only = role_required("admin")


@router.get("/users", response_model=Page[UserPublic])
def list_users(role: str | None = None, q: str | None = None, page: int = Query(1, ge=1),
               per_page: int = Query(20, ge=1, le=100), actor: Actor = Depends(admin_only)):
    items, total = users.list_users(actor, role=role, search=q, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(body: UserCreate, actor: Actor = Depends(admin_only)):
    return users.create_user(actor, body)


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(user_id: str, body: UserUpdate, actor: Actor = Depends(admin_only)):
    return users.update_user(actor, user_id, body)

"""The agency's REST routes: profile, rockets, launches and their lifecycle, passengers, reports.

Every route needs the agency role; another agency's ids answer 404 (services check ownership)."""
from fastapi import APIRouter, Depends, Query, Response

from astrobookings.api.deps import role_required
from astrobookings.api.pages import Page
from astrobookings.models.agency import AgencyPublic, AgencyUpdate, RocketCreate, RocketPublic, RocketUpdate
from astrobookings.models.launch import LaunchCreate, LaunchDetail, LaunchPublic, LaunchStatus, LaunchStatusRequest, PassengerRow
from services import agencies, launch_reports, launches, rockets
from services.actor import Actor

router = APIRouter(prefix="/api/agency", tags=["agency"])
agency_only = role_required("agency")


@router.get("/profile", response_model=AgencyPublic)
def get_profile(actor: Actor = Depends(agency_only)):
    return agencies.get_profile(actor)


@router.put("/profile", response_model=AgencyPublic)
def update_profile(body: AgencyUpdate, actor: Actor = Depends(agency_only)):
    return agencies.update_profile(actor, body)


@router.get("/rockets", response_model=Page[RocketPublic])
def list_rockets(page: int = Query(1, ge=1), per_page: int = Query(20, ge=1, le=100), actor: Actor = Depends(agency_only)):
    items, total = rockets.list_rockets(actor, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.post("/rockets", response_model=RocketPublic, status_code=201)
def create_rocket(body: RocketCreate, actor: Actor = Depends(agency_only)):
    return rockets.create_rocket(actor, body)


@router.get("/rockets/{rocket_id}", response_model=RocketPublic)
def get_rocket(rocket_id: int, actor: Actor = Depends(agency_only)):
    return rockets.get_rocket(actor, rocket_id)


@router.put("/rockets/{rocket_id}", response_model=RocketPublic)
def update_rocket(rocket_id: int, body: RocketUpdate, actor: Actor = Depends(agency_only)):
    return rockets.update_rocket(actor, rocket_id, body)


@router.delete("/rockets/{rocket_id}", status_code=204)
def delete_rocket(rocket_id: int, actor: Actor = Depends(agency_only)):
    rockets.delete_rocket(actor, rocket_id)


@router.get("/launches", response_model=Page[LaunchPublic])
def list_launches(status: LaunchStatus | None = None, page: int = Query(1, ge=1),
                  per_page: int = Query(20, ge=1, le=100), actor: Actor = Depends(agency_only)):
    items, total = launches.list_launches(actor, status=status.value if status else None, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.post("/launches", response_model=LaunchPublic, status_code=201)
def schedule_launch(body: LaunchCreate, actor: Actor = Depends(agency_only)):
    return launches.schedule_launch(actor, body)


@router.get("/launches/{launch_id}", response_model=LaunchDetail)
def get_launch(launch_id: int, actor: Actor = Depends(agency_only)):
    return launches.get_launch(actor, launch_id)


@router.post("/launches/{launch_id}/status", response_model=LaunchPublic)
def change_status(launch_id: int, body: LaunchStatusRequest, actor: Actor = Depends(agency_only)):
    return launches.change_status(actor, launch_id, body)


@router.get("/launches/{launch_id}/passengers", response_model=list[PassengerRow])
def list_passengers(launch_id: int, actor: Actor = Depends(agency_only)):
    return launch_reports.passengers(actor, launch_id)


@router.get("/launches/{launch_id}/bookings.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def bookings_report(launch_id: int, actor: Actor = Depends(agency_only)):
    filename, body = launch_reports.bookings_csv(actor, launch_id)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})

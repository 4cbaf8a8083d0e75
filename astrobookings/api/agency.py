"""The agency's REST routes: profile, rockets, launches and their lifecycle, passengers, reports.

Every route needs the agency role; another agency's ids answer 404 (services check ownership)."""
from fastapi import APIRouter, Query, Response
from fastapi.responses import RedirectResponse

from astrobookings.api.deps import AgencyActor
from astrobookings.api.files import CSV, CSV_RESPONSE, download
from astrobookings.api.paging import Page
from astrobookings.api.params import Id, PageNumber, PerPage
from services.core.models.agency import AgencyPublic, AgencyUpdate, RocketCreate, RocketPublic, RocketUpdate
from services.core.models.launch import LaunchCreate, LaunchDetail, LaunchPublic, LaunchStatus, LaunchStatusRequest, ManifestRow, PassengerRow
from services.agency import profile as agencies
from services.agency import reports as launch_reports
from services.agency import launches
from services.agency import rockets

router = APIRouter(prefix="/api/agency", tags=["agency"])


@router.get("/profile", response_model=AgencyPublic)
def get_profile(actor: AgencyActor):
    return agencies.get_profile(actor)


@router.put("/profile", response_model=AgencyPublic)
def update_profile(actor: AgencyActor, body: AgencyUpdate):
    return agencies.update_profile(actor, body)


@router.get("/rockets", response_model=Page[RocketPublic])
def list_rockets(actor: AgencyActor, page: PageNumber = 1, per_page: PerPage = 20):
    items, total = rockets.list_rockets(actor, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.post("/rockets", response_model=RocketPublic, status_code=201)
def create_rocket(actor: AgencyActor, body: RocketCreate):
    return rockets.create_rocket(actor, body)


@router.get("/rockets/{rocket_id}", response_model=RocketPublic)
def get_rocket(actor: AgencyActor, rocket_id: Id):
    return rockets.get_rocket(actor, rocket_id)


@router.put("/rockets/{rocket_id}", response_model=RocketPublic)
def update_rocket(actor: AgencyActor, rocket_id: Id, body: RocketUpdate):
    return rockets.update_rocket(actor, rocket_id, body)


@router.delete("/rockets/{rocket_id}", status_code=204)
def delete_rocket(actor: AgencyActor, rocket_id: Id):
    rockets.delete_rocket(actor, rocket_id)


@router.get("/launches", response_model=Page[LaunchPublic])
def list_launches(actor: AgencyActor, status: LaunchStatus | None = Query(None, description="Only launches in this status."),
                  page: PageNumber = 1,
                  per_page: PerPage = 20):
    items, total = launches.list_launches(actor, status=status.value if status else None, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.post("/launches", response_model=LaunchPublic, status_code=201)
def schedule_launch(actor: AgencyActor, body: LaunchCreate):
    return launches.schedule_launch(actor, body)


@router.get("/launches/{launch_id}", response_model=LaunchDetail)
def get_launch(actor: AgencyActor, launch_id: Id):
    return launches.get_launch(actor, launch_id)


@router.post("/launches/{launch_id}/status", response_model=LaunchPublic)
def change_status(actor: AgencyActor, launch_id: Id, body: LaunchStatusRequest):
    return launches.change_status(actor, launch_id, body)


@router.get("/launches/{launch_id}/passengers", response_model=list[PassengerRow])
def list_passengers(actor: AgencyActor, launch_id: Id):
    return launch_reports.passengers(actor, launch_id)


@router.get("/launches/{launch_id}/manifest", response_model=list[ManifestRow])
def passenger_manifest(actor: AgencyActor, launch_id: Id):
    """Every passenger of every paid booking, cancelled ones marked with their refund; at any time."""
    return launch_reports.manifest(actor, launch_id)


@router.get("/launches/{launch_id}/manifest.csv", response_class=Response,
            responses=CSV_RESPONSE)
def passenger_manifest_csv(actor: AgencyActor, launch_id: Id):
    """The manifest as a spreadsheet, at any time: one row per passenger, amounts in dollars."""
    return download(*launch_reports.manifest_csv(actor, launch_id), CSV)


@router.get("/launches/{launch_id}/bookings.csv", include_in_schema=False)
def former_bookings_report(launch_id: Id):
    """The bookings report's old address (it answered 409 before the flight): the manifest is the
    one report now. Permanent, and the manifest checks the caller itself."""
    return RedirectResponse(f"/api/agency/launches/{launch_id}/manifest.csv", status_code=308)

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from astrobookings.health import check_stores

router = APIRouter(prefix="/api/system", tags=["system"])


@router.get("/health")
def health():
    report = check_stores()
    return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

"""Files the API hands out: CSV reports, PDF invoices and receipts."""
from typing import Literal

from fastapi.responses import Response

CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"
CSV_RESPONSE = {200: {"content": {"text/csv": {}}}}
PDF_RESPONSE = {200: {"content": {"application/pdf": {}}}}


def download(filename: str, body: str | bytes, media_type: str,
             disposition: Literal["attachment", "inline"] = "attachment") -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})

"""The PDF briefing of a period, for the dashboard's zone pages to offer: asked for, made
in the background while the page polls its status, then fetched (or, for a script, in
one request that waits for it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response, status
from pydantic import BaseModel, Field

from trucewatch.api.deps import LedgerDep, Reader, SettingsDep
from trucewatch.api.errors import ERROR_RESPONSES, described
from trucewatch.api.filters import check_range
from trucewatch.api.schemas import Incoming, IsoDay, UtcDatetime
from trucewatch.errors import ConflictError, InputError
from trucewatch.service.jobs import Job
from trucewatch.settings import Settings

MAX_DAYS = 366  # a longer period is a job for the command line
WAIT_SECONDS = 60.0  # how long GET briefing.pdf waits for the PDF before answering 503

router = APIRouter(prefix="/api/briefings", tags=["briefings"], responses=ERROR_RESPONSES)
JobId = Annotated[str, Path(max_length=400, pattern=r"^[A-Za-z0-9_-]+\.[0-9a-f]{12}$")]


class BriefingCreate(Incoming):
    date_from: IsoDay = Field(description="First day of the period.")
    date_to: IsoDay = Field(description="Last day of the period (at most a year after).")
    zone: str | None = Field(None, max_length=80, description="Only this zone.")


class BriefingJobPublic(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    date_from: date
    date_to: date
    zone: str | None
    created_at: UtcDatetime
    finished_at: UtcDatetime | None
    error: str | None = Field(description="Why it failed, when it did.")
    status_url: str = Field(description="Poll this until status is done or failed.")
    pdf_url: str | None = Field(description="The PDF, once done.")


def _check(date_from: date, date_to: date) -> None:
    check_range(date_from, date_to)
    if (date_to - date_from).days >= MAX_DAYS:
        raise InputError("date_to", f"a briefing covers at most {MAX_DAYS} days; use "
                         "'trucewatch report' for a longer period")


def _folder(settings: Settings) -> Any:
    return settings.cache_dir / "briefings"


def _public(job: Job, request: Request) -> dict[str, Any]:
    status_url = str(request.url_for("briefing_status", job_id=job.id).path)
    return {"id": job.id, "status": job.status, "date_from": job.params["date_from"],
            "date_to": job.params["date_to"], "zone": job.params["zone"],
            "created_at": job.created_at, "finished_at": job.finished_at, "error": job.error,
            "status_url": status_url,
            "pdf_url": status_url + "/pdf" if job.status == "done" else None}


@router.post("", response_model=BriefingJobPublic, status_code=status.HTTP_202_ACCEPTED,
             responses={429: described("Too many briefings being made: try again later.")})
def ask_briefing(body: BriefingCreate, request: Request, _reader: Reader, ledger: LedgerDep,
                 settings: SettingsDep) -> dict[str, Any]:
    """Start making the PDF briefing of a period (summary per zone, map, violations per
    day, incidents, missed deadlines, disputed boundaries, sources): the answer names the
    job; poll its status_url until done, then fetch its pdf_url. The same briefing of the
    same ledger is made once and kept; a change to the ledger makes a new one."""
    _check(body.date_from, body.date_to)
    job = ledger.briefing_job(body.date_from, body.date_to, body.zone,
                              folder=_folder(settings))
    return _public(job, request)


@router.get(
    "/briefing.pdf",
    response_class=Response,
    responses={200: {"description": "The PDF briefing of the period (as `trucewatch "
                                    "report` prints it).",
                     "content": {"application/pdf": {}}},
               503: described("The briefing took longer than a minute: ask for it with "
                              "POST /api/briefings and poll.")},
)
def briefing_pdf(
    _reader: Reader, ledger: LedgerDep, settings: SettingsDep,
    date_from: Annotated[IsoDay, Query(description="First day of the period.")],
    date_to: Annotated[IsoDay, Query(description="Last day of the period.")],
    zone: Annotated[str | None, Query(max_length=80, description="Only this zone.")] = None,
) -> Response:
    """The briefing in one request, for scripts: made (or found made) as POST
    /api/briefings makes it, waiting up to a minute."""
    _check(date_from, date_to)
    job = ledger.briefing_job(date_from, date_to, zone, folder=_folder(settings))
    ledger.jobs().wait(job, WAIT_SECONDS)
    if job.status in ("queued", "running"):
        raise StillMaking(job.id)
    return _pdf(job)


@router.get("/{job_id}", response_model=BriefingJobPublic, name="briefing_status")
def briefing_status(job_id: JobId, request: Request, _reader: Reader, ledger: LedgerDep,
                    settings: SettingsDep) -> dict[str, Any]:
    """Where a briefing job stands: queued, running, done (with its pdf_url) or failed
    (with the error)."""
    return _public(ledger.briefing_job_named(job_id, folder=_folder(settings)), request)


@router.get("/{job_id}/pdf", response_class=Response,
            responses={200: {"description": "The PDF briefing.",
                             "content": {"application/pdf": {}}},
                       409: described("Not made yet (or it failed): see its status.")})
def briefing_file(job_id: JobId, _reader: Reader, ledger: LedgerDep,
                  settings: SettingsDep) -> Response:
    """The PDF of a finished briefing job."""
    job = ledger.briefing_job_named(job_id, folder=_folder(settings))
    return _pdf(job)


class StillMaking(ConflictError):
    http_status = 503
    code = "still_making"

    def __init__(self, identifier: str) -> None:
        super().__init__(f"the briefing is still being made; poll /api/briefings/{identifier}")


def _pdf(job: Job) -> Response:
    if job.status != "done" or job.path is None or not job.path.exists():
        raise ConflictError(f"the briefing is {job.status}"
                            + (f": {job.error}" if job.error else "; poll its status"))
    start, end, zone = job.params["date_from"], job.params["date_to"], job.params["zone"]
    name = f"briefing-{zone + '-' if zone else ''}{start}-{end}.pdf"
    return Response(job.path.read_bytes(), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


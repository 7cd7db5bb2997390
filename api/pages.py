"""The kiosk page (and the console page, when present), served by the API itself."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from bot.conversation.phases import TALK_ENDING_RESPONSES

STATIC_DIR = Path(__file__).resolve().parent / "static"
KIOSK_DIR = STATIC_DIR / "kiosk"
KEY_PLACEHOLDER = "__KIOSK_KEY__"
IDLE_PLACEHOLDER = "__KIOSK_IDLE__"
TALK_END_PLACEHOLDER = "__KIOSK_TALK_END__"

router = APIRouter(include_in_schema=False)


def kiosk_page(request: Request) -> str:
    """index.html with the kiosk key filled in (in development only), the idle times, and
    when to clear after the bot's last words ("seconds|response,response,...")."""
    page = (KIOSK_DIR / "index.html").read_text(encoding="utf-8")
    settings = request.app.state.settings
    key = request.app.state.accepted_kiosk_key if settings.env == "dev" else None
    page = page.replace(
        IDLE_PLACEHOLDER, f"{int(settings.kiosk_idle_warn_s)},{int(settings.kiosk_idle_clear_s)}"
    )
    page = page.replace(
        TALK_END_PLACEHOLDER, f"{int(settings.kiosk_after_goodbye_s)}|{','.join(TALK_ENDING_RESPONSES)}"
    )
    return page.replace(KEY_PLACEHOLDER, html.escape(key or "", quote=True))


@router.get("/")
def root():
    return RedirectResponse("/kiosk", status_code=307)


@router.get("/kiosk", response_class=HTMLResponse)
def kiosk(request: Request):
    # no-store: the page may carry the dev key and must follow deployments at once.
    return HTMLResponse(kiosk_page(request), headers={"Cache-Control": "no-store"})


def mount_pages(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/kiosk/static", StaticFiles(directory=KIOSK_DIR), name="kiosk-static")
    console = STATIC_DIR / "console"
    if (console / "index.html").exists():
        app.mount("/console", StaticFiles(directory=console, html=True), name="console")

"""Request and response models of the public API (pydantic v1).

Field names and meanings follow the public HTTP contract (this OpenAPI is its
machine-readable form); extra fields are allowed by the contract and marked as such in
their descriptions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Literal, Optional

from pydantic import BaseModel, Field, StrictStr, root_validator, validator

Phase = Literal["verkennen", "kiezen", "verkrijgen", "afgerond"]
Status = Literal["bot", "waiting_for_human", "human", "closed"]
Sender = Literal["bot", "counsellor", "client", "system"]
HandoffReason = Literal["crisis", "emotion", "uncertain", "request"]
Role = Literal["counsellor", "trainer", "admin"]


class ErrorOut(BaseModel):
    detail: str = Field(..., description="What went wrong, in Dutch or English; never a stack trace.")


class Button(BaseModel):
    title: str
    payload: str


class Msg(BaseModel):
    id: str
    sender: Sender
    text: str
    buttons: List[Button] = []
    event: Optional[str] = Field(
        None,
        description="Extra: for system notes of a state change (handoff:<reason>, takeover, handback, closed).",
    )
    utter_action: Optional[str] = Field(
        None,
        description="Extra: for bot messages, the domain.yml response it came from (e.g. utter_ask_talents).",
    )


class Handoff(BaseModel):
    reason: HandoffReason
    at: datetime = Field(..., description="When the hand-off was requested (ISO 8601, UTC).")
    estimate_minutes: Optional[int] = Field(
        None,
        description="Extra (kiosk answers, while the client waits): roughly how many minutes until a "
        "counsellor takes over, from the queue; absent or null when unknown or long.",
    )


# --- kiosk ---------------------------------------------------------------

CLIENT_REF_REFUSED = (
    "client_ref wordt niet aangenomen: vraag een begeleider om een code (resume_code) / "
    "client_ref is not accepted at the kiosk; a counsellor issues a one-time resume_code"
)


class SessionCreate(BaseModel):
    """The trainer's sandbox start (`POST /trainer/sessions`); a `client_ref` there is ignored."""

    language: Literal["nl", "en"] = "nl"
    client_ref: Optional[str] = Field(
        None, max_length=128, description="Ignored: a sandbox never joins a client's plan."
    )


class KioskSessionCreate(BaseModel):
    language: Literal["nl", "en"] = "nl"
    resume_code: Optional[str] = Field(
        None,
        max_length=32,
        description="Extra: a short-lived, one-time code a counsellor issued in the console "
        "(POST /api/v1/staff/clients/{client_ref}/resume-code); the session continues that "
        "client's plan. A used, expired or unknown code is 422. A file number (`client_ref`) "
        "is never accepted here (422).",
    )

    @root_validator(pre=True)
    def _no_file_number(cls, values: Any) -> Any:
        # Anyone holding a kiosk key could read another client's plan with a file number.
        if isinstance(values, dict) and "client_ref" in values:
            raise ValueError(CLIENT_REF_REFUSED)
        return values

    @validator("resume_code")
    def _blank_code_is_none(cls, value: Optional[str]) -> Optional[str]:
        return value.strip() or None if value is not None else None


class SessionEndIn(BaseModel):
    reason: Literal["ended_by_client", "kiosk_idle"] = Field(
        "ended_by_client",
        description="`ended_by_client`: the client tapped Stoppen; `kiosk_idle`: nobody answered "
        '"Bent u er nog?" and the kiosk cleared itself.',
    )


class SessionEndOut(BaseModel):
    session_id: str
    status: Status
    phase: Phase
    reason: str


class SessionOut(BaseModel):
    session_id: str
    phase: Phase
    status: Status
    messages: List[Msg]
    handoff: Optional[Handoff] = Field(
        None, description="Extra: set when the opening already needs a person."
    )


class MessageIn(BaseModel):
    text: StrictStr = Field(..., description="The client's message, 1 to 2,000 characters.")
    title: Optional[str] = Field(
        None, max_length=200, description="Extra: the title of the tapped button whose payload is `text`."
    )

    @validator("text")
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be empty")
        return value


class TurnOut(BaseModel):
    messages: List[Msg] = Field(
        ..., description="Everything stored by this call in order: the client's message first, then replies."
    )
    phase: Phase
    status: Status
    handoff: Optional[Handoff]


class MessagesOut(BaseModel):
    messages: List[Msg]
    status: Status
    phase: Phase
    handoff: Optional[Handoff] = Field(None, description="Extra: the open hand-off, if any.")


# --- health --------------------------------------------------------------


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"]
    rasa: str
    actions: str
    db: str
    supervisor: Optional[Dict[str, Any]] = Field(
        None, description="Under `coach run` only: each child's state, restarts and last exit code."
    )


# --- auth ----------------------------------------------------------------


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    role: Optional[Role] = Field(None, description="Extra: the role the token carries.")
    expires_in: Optional[int] = Field(None, description="Extra: seconds until the token expires.")


class UserOut(BaseModel):
    id: int
    username: str
    role: Role


# --- staff ---------------------------------------------------------------


class SafetyOut(BaseModel):
    category: Optional[str] = None
    flag: Optional[str] = None
    matched: Optional[str] = None


class TranscriptMsg(Msg):
    seq: int
    at: datetime
    intent: Optional[str] = None
    confidence: Optional[float] = None
    entities: Optional[List[Dict[str, Any]]] = None
    safety: Optional[SafetyOut] = None
    utter_action: Optional[str] = None
    mi_code: Optional[str] = None
    forwarded_to_rasa: Optional[bool] = None
    author: Optional[str] = Field(None, description="Username of the counsellor who wrote it.")
    payload: Optional[str] = Field(
        None, description="For a tapped button: the payload sent to Rasa (text shows the title)."
    )
    withheld_bot_replies: Optional[List[Dict[str, Any]]] = Field(
        None,
        description="What Rasa answered to this message but the client never saw, because the "
        "API's safety check handed the session to a person instead.",
    )
    understood: Optional[Dict[str, Any]] = Field(
        None,
        description="Client messages: what the coach understood in the staff's words: `summary` "
        '("Koos: Ja", "Begrepen als: antwoord"), `intent_label`, `certainty` '
        "(zeker/onzeker) and `found` ([{label, value, typed?}]).",
    )


class HandoffRecord(Handoff):
    message_id: Optional[str] = None
    taken_by: Optional[str] = None
    taken_at: Optional[datetime] = None
    handed_back_at: Optional[datetime] = None
    closed_at: Optional[datetime] = None


class SessionSummary(BaseModel):
    id: str
    phase: Phase
    status: Status
    handoff: Optional[Handoff]
    started_at: datetime
    last_message_at: Optional[datetime]
    language: str
    client_ref: Optional[str] = None
    is_training: bool
    assigned_to: Optional[str] = None
    last_message: Optional[str] = Field(None, description="The latest message's first 120 characters.")
    trigger_text: Optional[str] = Field(
        None,
        description="Extension, waiting sessions only: the client's words that caused the open hand-off "
        "(first 300 characters; null when the coach or the system handed over).",
    )
    messages_since_trigger: Optional[int] = Field(
        None, description="Extension, waiting sessions only: client messages after the trigger."
    )


class SessionDetail(SessionSummary):
    closed_at: Optional[datetime] = None
    messages: List[TranscriptMsg]
    handoffs: List[HandoffRecord]


class StaffMessageIn(BaseModel):
    text: StrictStr = Field(..., description="The counsellor's message to the client.")

    @validator("text")
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be empty")
        return value


class HandbackIn(BaseModel):
    phase: Optional[Phase] = Field(None, description="Phase to resume in; default: where the session was.")


class StaffActionOut(BaseModel):
    session: SessionSummary
    messages: List[Msg] = Field(
        [], description="Messages stored by this action (e.g. the bot's turn after hand-back)."
    )

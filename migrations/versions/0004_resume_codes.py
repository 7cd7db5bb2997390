"""One-time resume codes for returning clients; search texts out of the audit log (issue 14.1, 14.2, 14.9).

``resume_codes`` holds an HMAC of each code a counsellor issued, the client reference
it continues, when it expires and when it was used. Audit lines of staff searches
kept the searched words (``detail.q``); they now keep only a digest, and this
migration rewrites the lines written before.

Revision ID: 0004
Revises: 0003
"""

import hashlib
import json

from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().lower().encode("utf-8")).hexdigest()[:16]


def upgrade() -> None:
    op.create_table(
        "resume_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("client_ref", sa.String(length=128), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_session_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_resume_codes_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_resume_codes_code_hash")),
    )
    op.create_index(op.f("ix_resume_codes_client_ref"), "resume_codes", ["client_ref"], unique=False)
    op.create_index(op.f("ix_resume_codes_expires_at"), "resume_codes", ["expires_at"], unique=False)

    # Staff searches: the words searched for become a digest (the audit log keeps no client text).
    conn = op.get_bind()
    audit = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("detail", sa.JSON),
    )
    rows = conn.execute(
        sa.select(audit.c.id, audit.c.detail).where(audit.c.action.in_(["read.search", "read.session_list"]))
    ).fetchall()
    for row_id, detail in rows:
        if isinstance(detail, str):
            detail = json.loads(detail)
        if not isinstance(detail, dict) or not detail.get("q"):
            continue
        words = str(detail["q"])
        detail = {k: v for k, v in detail.items() if k != "q"}
        detail["q_digest"] = _digest(words)
        conn.execute(audit.update().where(audit.c.id == row_id).values(detail=detail))


def downgrade() -> None:
    op.drop_index(op.f("ix_resume_codes_expires_at"), table_name="resume_codes")
    op.drop_index(op.f("ix_resume_codes_client_ref"), table_name="resume_codes")
    op.drop_table("resume_codes")

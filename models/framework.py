"""Item lists (skills frameworks, guides, questionnaires): a named list, its versions, their items."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.user import User


class Framework(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="skills", server_default="skills")  # item_lists
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who manages it (None: the shipped example, managed by coordinators and admins). Others may
    # use it for their sessions, and export it, only while `shared`; change it, never.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shared: Mapped[bool] = mapped_column(default=False, server_default=false())
    owner: Mapped[User | None] = relationship()
    versions: Mapped[list[FrameworkVersion]] = relationship(
        back_populates="framework", order_by="FrameworkVersion.number"
    )

    @property
    def latest(self) -> FrameworkVersion:
        return self.versions[-1]


class FrameworkVersion(db.Model):  # type: ignore[name-defined,misc]
    """An immutable-once-used list of skills; editing a used version makes a new one."""

    __tablename__ = "framework_versions"
    __table_args__ = (UniqueConstraint("framework_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"))
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # e.g. the workshop it came from
    framework: Mapped[Framework] = relationship(back_populates="versions")
    skills: Mapped[list[Skill]] = relationship(
        back_populates="version", order_by="Skill.position", cascade="all, delete-orphan"
    )


class Skill(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    definition: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="", server_default="")  # a guide section's paragraphs
    cluster: Mapped[str] = mapped_column(String(80), default="")
    position: Mapped[int]
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[FrameworkVersion] = relationship(back_populates="skills")

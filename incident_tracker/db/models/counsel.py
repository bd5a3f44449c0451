"""Counsel's review of a jurisdiction's rule set, recorded by a legal reviewer: one row per review.

A review covers one version of the rule set (core/states/version.py); the latest row for the
current version is the one shown, so a new version resets it. The rule-set page and the incident
page show reviews, so the table moves the data generation (migration 0019).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text
from sqlmodel import Column, Field, SQLModel


class CounselReview(SQLModel, table=True):
    __tablename__ = "counsel_review"
    __table_args__ = (Index("ix_counsel_review_jurisdiction", "jurisdiction", "recorded_at"),)

    id: int | None = Field(default=None, primary_key=True)
    jurisdiction: str = Field(max_length=2)
    version: str = Field(max_length=64)
    counsel: str = Field(max_length=200)
    reviewed_on: date
    note: str = Field(sa_column=Column(Text, nullable=False))
    recorded_by: int = Field(foreign_key="app_user.id")
    recorded_at: datetime

"""A company's facts as they count: the value an official list verified, else what the company declared.

This is the one place that decides which value of innovation points, SRDI level, high-tech status and
patents a reader gets, and how much a merely self-declared value counts. Matching reads it through
`facts_by_company`, loan eligibility will read it the same way, pages and the API show each fact's
badge from it. A self-declared value counts with the weight SELF_DECLARED_WEIGHTS gives the purpose
(e.g. matching 0.5, loans 0: not at all); a verified one counts fully.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..common.choices import SrdiLevel
from ..common.timeutil import to_local, utcnow
from ..extensions import db
from ..official.models import ListKind, Subject, VerifiedFact
from .models import Company

PURPOSES = ("matching", "loans")


@dataclass(frozen=True)
class Fact:
    name: str
    label: Any  # lazily translated
    value: Any  # what counts: the verified value where an official list has one, else the declared one
    declared: Any
    entry: VerifiedFact | None = None  # the official list's entry, when there is one
    details: dict = field(default_factory=dict)  # the list's other columns (grade and year, batch, certificate ...)

    @property
    def is_verified(self) -> bool:
        return self.entry is not None

    @property
    def source(self) -> str | None:
        return self.entry.source if self.entry else None

    @property
    def verified_at(self) -> datetime | None:
        return self.entry.verified_at if self.entry else None

    @property
    def differs(self) -> bool:
        """The company declared something else than the list says."""
        return self.is_verified and self.declared != self.value

    @property
    def as_declared(self) -> Fact:
        """The company's own value, for showing beside a verified one that differs."""
        return Fact(self.name, self.label, self.declared, self.declared)

    def weight(self, purpose: str) -> float:
        """How much this value counts for `purpose`: fully when verified, else the configured discount."""
        if purpose not in PURPOSES:
            raise ValueError(f"unknown purpose {purpose!r}; use one of {PURPOSES}")
        return 1.0 if self.is_verified else float(current_app.config["SELF_DECLARED_WEIGHTS"].get(purpose, 0.0))

    def as_dict(self) -> dict:
        """The API's view: value, whether verified, from which list and when."""
        value = self.value.value if isinstance(self.value, SrdiLevel) else self.value
        return {
            "value": value,
            "verified": self.is_verified,
            "source": self.source,
            "verified_at": self.verified_at.replace(microsecond=0).isoformat() + "Z" if self.verified_at else None,
            "details": self.details,
        }


@dataclass(frozen=True)
class CompanyFacts:
    innovation_score: Fact
    srdi_level: Fact
    high_tech: Fact
    patents_count: Fact

    def __iter__(self):
        return iter((self.innovation_score, self.srdi_level, self.high_tech, self.patents_count))


def _high_tech(declared: bool, entry: VerifiedFact | None, today: date) -> Fact:
    label = _l("国家高新技术企业")
    if entry is None:
        return Fact("high_tech", label, declared, declared)
    valid_until = date.fromisoformat(entry.value["valid_until"])
    details = {"certificate": entry.value["certificate"], "valid_until": entry.value["valid_until"],
               "expired": valid_until < today}
    # A lapsed certificate is verified too: the list says the status ended on that day.
    return Fact("high_tech", label, valid_until >= today, declared, entry, details)


def _build(company: Company, entries: Mapping[ListKind, VerifiedFact], today: date) -> CompanyFacts:
    innovation = entries.get(ListKind.INNOVATION)
    srdi = entries.get(ListKind.SRDI)
    return CompanyFacts(
        innovation_score=Fact(
            "innovation_score", _l("创新积分"),
            innovation.value["score"] if innovation else company.innovation_score, company.innovation_score,
            innovation, {"grade": innovation.value["grade"], "year": innovation.value["year"]} if innovation else {},
        ),
        srdi_level=Fact(
            "srdi_level", _l("专精特新"),
            SrdiLevel(srdi.value["level"]) if srdi else company.srdi_level, company.srdi_level,
            srdi, {"batch": srdi.value["batch"]} if srdi else {},
        ),
        high_tech=_high_tech(company.is_high_tech, entries.get(ListKind.HIGH_TECH), today),
        # No official list of patents is imported yet: always the company's own figure.
        patents_count=Fact("patents_count", _l("专利数"), company.patents_count, company.patents_count),
    )


def facts_by_company(companies: Iterable[Company]) -> dict[int, CompanyFacts]:
    """Every given company's facts, with one query for all their official-list entries."""
    companies = list(companies)
    entries: dict[int, dict[ListKind, VerifiedFact]] = {c.id: {} for c in companies}
    ids = list(entries)
    for start in range(0, len(ids), 5000):
        for entry in db.session.scalars(
            sa.select(VerifiedFact).where(VerifiedFact.subject == Subject.COMPANY,
                                          VerifiedFact.subject_id.in_(ids[start:start + 5000]))
        ):
            entries[entry.subject_id][entry.kind] = entry
    today = to_local(utcnow()).date()
    return {c.id: _build(c, entries[c.id], today) for c in companies}


def company_facts(company: Company) -> CompanyFacts:
    return facts_by_company([company])[company.id]

"""New Jersey's statutory numbers (N.J.S.A. 56:8-161, -163; docs/law/new-jersey.md)."""

from __future__ import annotations

from incident_tracker.core.parameters import MORE_THAN, Parameter, Value, dated

J = "NJ"

CRA_THRESHOLD = dated(
    "nj.cra_threshold",
    J,
    MORE_THAN,
    Value(None, 1000, "N.J.S.A. 56:8-163(f) (NJ residents at one time; default reading)"),
)

PARAMETERS: tuple[Parameter, ...] = (*CRA_THRESHOLD,)

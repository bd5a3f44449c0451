"""The vocabulary every jurisdiction's rules are written in: `Rule` and `Effective` (base.py).

The rules themselves live in each jurisdiction's folder (core/jurisdictions/<name>/); the
registry (core/jurisdictions/registry.py) lists them in evaluation order.
"""

from incident_tracker.core.rules.base import Effective, Rule

__all__ = ["Effective", "Rule"]

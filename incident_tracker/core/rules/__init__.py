"""Every rule the engine runs, in evaluation order: federal first (its dates anchor the States')."""

from incident_tracker.core.rules import california, federal, new_jersey, new_york
from incident_tracker.core.rules.base import Effective, Rule

RULES: tuple[Rule, ...] = federal.RULES + new_york.RULES + new_jersey.RULES + california.RULES

__all__ = ["RULES", "Effective", "Rule"]

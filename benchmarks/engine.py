"""Deadline-engine throughput: 10,000 varied synthetic incidents from a fixed seed.

Prints the median of 5 runs as "N incidents/s" and µs per incident, for `compute` on parsed facts
and for the whole path from a JSON-like dict (parse + validate + compute). Target: >= 10,000/s on
one core. Every jurisdiction's rule set is loaded; one incident in 25 is a billing company's
breach with residents of 10 to all 56 of the vocabulary's States and territories (all evaluated but
American Samoa and the Northern Mariana Islands). `--classic` drops those for the original mix
(1 to 4 of nine States). Run: `make bench` or `.venv/bin/python benchmarks/engine.py [--profile]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from typing import Any

from incident_tracker.core.engine import compute
from incident_tracker.core.facts import parse_incident
from incident_tracker.core.vocabulary import DATA_ELEMENTS
from incident_tracker.core.vocabulary import STATES as ALL_STATES

SEED = 20261123
COUNT = 10_000
RUNS = 5
STATES = ["NY", "NJ", "CA", "PA", "TX", "FL", "OH", "DC", "PR"]
ELEMENTS = sorted(DATA_ELEMENTS - {"name"})
EVERY_STATE = sorted(ALL_STATES)
WIDE_SHARE = 1 / 25


def synthetic_incident(rng: random.Random, wide: bool = True) -> dict[str, Any]:
    """One incident drawn across every branch the rules take (`wide`: some span many States)."""
    discovered = date(2024, 6, 1) + timedelta(days=rng.randrange(0, 1000))
    occurred = discovered - timedelta(days=rng.randrange(0, 60))
    entity = rng.choices(
        ["covered_entity", "business_associate", "ca_licensed_health_facility"], [6, 2, 2]
    )[0]
    states = rng.sample(STATES, rng.randint(1, 4))
    if wide and rng.random() < WIDE_SHARE:
        states = rng.sample(EVERY_STATE, rng.randint(10, len(EVERY_STATE)))
    by_state = {s: rng.choice([1, 40, 499, 500, 501, 1200, 5001]) for s in states}
    data: dict[str, Any] = {
        "entity_type": entity,
        "flags": {
            "hipaa_covered_entity": entity != "business_associate",
            "nydfs_covered_entity": rng.random() < 0.1,
            "business_associate_is_agent_of_ce": rng.choice([True, False, None]),
            "part2_program": rng.random() < 0.1,
        },
        "breach_occurred_on": occurred.isoformat(),
        "discovered_on": discovered.isoformat(),
        "affected_by_state": by_state,
        "data_elements": ["name", *rng.sample(ELEMENTS, rng.randint(1, 4))],
        "medium": rng.choice(["electronic", "electronic", "paper"]),
        "acquired": rng.choice([True, None, False]),
        "phi_encrypted": rng.random() < 0.15,
        "encryption_key_compromised": rng.choice([True, False]),
        "risk_assessment": rng.choice(
            ["not_low_probability"] * 6 + ["low_probability_documented", "not_required_exception"]
        ),
        "unreachable_individuals": rng.choice([None, 0, 1]),
    }
    if data["risk_assessment"] == "not_required_exception":
        data["exception"] = rng.choice(["164.402(1)(i)", "164.402(1)(ii)", "164.402(1)(iii)"])
    if rng.random() < 0.15:
        statement = discovered + timedelta(days=rng.randrange(0, 20))
        data["law_enforcement_delay"] = {
            "form": rng.choice(["oral", "written"]),
            "statement_date": statement.isoformat(),
            "delay_until": (statement + timedelta(days=rng.randrange(10, 120))).isoformat(),
        }
    if rng.random() < 0.4:
        sent = discovered + timedelta(days=rng.randrange(5, 60))
        data["notices_sent"] = {"individuals": sent.isoformat(), "hhs": sent.isoformat()}
    if entity == "business_associate" and rng.random() < 0.5:
        data["ce_notified_by_ba_on"] = (discovered + timedelta(days=9)).isoformat()
    if "NY" in by_state and data["flags"]["nydfs_covered_entity"]:
        data["dfs_determined_at"] = f"{discovered.isoformat()}T15:00:00-04:00"
    return data


def _timed(fn: Any, items: list[Any], clock: Any = time.perf_counter) -> float:
    start = clock()
    for item in items:
        fn(item)
    return float(clock() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", action="store_true", help="cProfile one compute pass")
    parser.add_argument("--classic", action="store_true", help="no incident spans many States")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the process's CPU time instead of the wall clock (steadier on a busy machine)",
    )
    args = parser.parse_args()
    rng = random.Random(SEED)
    raw = [synthetic_incident(rng, wide=not args.classic) for _ in range(COUNT)]
    facts = [parse_incident(r) for r in raw]
    total = sum(len(compute(f).obligations) for f in facts)  # warms the calendar caches
    if args.profile:
        import cProfile
        import pstats

        cProfile.runctx("for f in facts: compute(f)", globals(), {"facts": facts}, "/tmp/eng.prof")
        pstats.Stats("/tmp/eng.prof").sort_stats("tottime").print_stats(20)
        return
    for label, fn, items in (
        ("compute (parsed facts)", compute, facts),
        ("parse + validate + compute", lambda r: compute(parse_incident(r)), raw),
    ):
        clock = time.process_time if args.cpu else time.perf_counter
        median = statistics.median(_timed(fn, items, clock) for _ in range(RUNS))
        print(
            f"{label}: {COUNT / median:,.0f} incidents/s, {median / COUNT * 1e6:.1f} µs per "
            f"incident (median of {RUNS} runs of {COUNT:,})"
        )
    print(f"obligations per incident: {total / COUNT:.1f}")
    spans = [len(r["affected_by_state"]) for r in raw]
    print(f"States per incident: {statistics.mean(spans):.1f} (at most {max(spans)})")


if __name__ == "__main__":
    main()

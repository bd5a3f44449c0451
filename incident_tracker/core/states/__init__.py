"""The other 51 U.S. jurisdictions (47 States, DC, Puerto Rico, Guam, the U.S. Virgin Islands), one
module each, built from the project's states.json; NY, NJ and CA are in core/rules.

`evaluate_states` runs the rule set of every jurisdiction with affected residents, after the
federal, NY, NJ and CA rules (its resident notices lean on the HIPAA letter, F1).
"""

from __future__ import annotations

from incident_tracker.core.context import Context
from incident_tracker.core.rules.base import Outcome
from incident_tracker.core.states import (
    ak,
    al,
    ar,
    az,
    co,
    ct,
    dc,
    de,
    fl,
    ga,
    gu,
    hi,
    ia,
    id,
    il,
    in_,
    ks,
    ky,
    la,
    ma,
    md,
    me,
    mi,
    mn,
    mo,
    ms,
    mt,
    nc,
    nd,
    ne,
    nh,
    nm,
    nv,
    oh,
    ok,
    or_,
    pa,
    pr,
    ri,
    sc,
    sd,
    tn,
    tx,
    ut,
    va,
    vi,
    vt,
    wa,
    wi,
    wv,
    wy,
)
from incident_tracker.core.states.interpreter import evaluate
from incident_tracker.core.states.model import Jurisdiction

JURISDICTIONS: dict[str, Jurisdiction] = {
    m.JURISDICTION.code: m.JURISDICTION
    for m in (
        al,
        ak,
        az,
        ar,
        co,
        ct,
        de,
        dc,
        fl,
        ga,
        hi,
        id,
        il,
        in_,
        ia,
        ks,
        ky,
        la,
        me,
        md,
        ma,
        mi,
        mn,
        ms,
        mo,
        mt,
        ne,
        nv,
        nh,
        nm,
        nc,
        nd,
        oh,
        ok,
        or_,
        pa,
        ri,
        sc,
        sd,
        tn,
        tx,
        ut,
        vt,
        va,
        wa,
        wv,
        wi,
        wy,
        pr,
        gu,
        vi,
    )
}


def evaluate_states(ctx: Context) -> list[Outcome]:
    out: list[Outcome] = []
    for code in ctx.by_state:
        j = JURISDICTIONS.get(code)
        if j is not None:
            out.extend(evaluate(j, ctx))
    return out


__all__ = ["JURISDICTIONS", "Jurisdiction", "evaluate_states"]

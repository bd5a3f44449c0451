"""The guided breach risk assessment (45 CFR 164.402; docs/law/federal.md; docs/law/new-york.md;
docs/law/new-jersey.md; docs/law/california.md).

`answers` holds the situation and the answer helpers, `questions` the shapes of a step, `steps` the
walk itself as data. The entry points are `core.risk` (what the answers conclude) and
`core.wizard` (which step comes next, what a step must contain).
"""

"""The guided breach risk assessment (45 CFR 164.402; rules.md §1.1, §1.2, §3.3, §4.2, §5.2).

`answers` holds the situation and the answer helpers, `questions` the shapes of a step, `steps` the
walk itself as data. The entry points are `core.risk` (what the answers conclude) and
`core.wizard` (which step comes next, what a step must contain).
"""

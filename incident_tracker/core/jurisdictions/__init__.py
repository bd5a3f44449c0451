"""One folder per jurisdiction (federal, new_york, new_jersey, california), each exporting one
`Jurisdiction` (model.py): its dated parameters, rules, calendars, notices and done feeds. The
registry (registry.py) lists them; the other U.S. jurisdictions are in core/states."""

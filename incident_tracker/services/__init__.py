"""Use cases. Each takes a Session (and the actor and time it needs) and never commits."""

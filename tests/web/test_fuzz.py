"""Bounded fuzzing: no input gives a server error (ASVS 5.0 16.5.3, fail securely).

Over a database with the demo's incidents, notices and reviews, Hypothesis sends, as a signed-in
admin and privacy officer:
- GET to every rule of the URL map, each path argument a valid id, a boundary value (0, -1,
  2**63, 2**64, "²", "①", Arabic-Indic digits), huge or random Unicode text, with query strings
  built from the parameter names the views read;
- POST to every form the pages render, as a browser fills it in (fresh lock versions and a valid
  CSRF token), with fields replaced by such values, dropped or repeated; and POST to every POST
  rule with fields named as the views read them.
Every answer must be below 500. Examples are derandomized, so a run is repeatable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from incident_tracker.clock import FixedClock
from incident_tracker.config import PROJECT_ROOT, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.db.models import User
from incident_tracker.services import demo
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from tests.conftest import AUDIT_KEY, sign_in

BOUNDARY: tuple[str, ...] = ("0", "-1", str(2**63), str(2**64), "\u00b2", "\u2460", "\u0663")
BOUNDARY += ("", "99999999999999999999", "1.5", "1e3", " 1", "x" * 5000, "\u202e\U0001f600")
VALID_IDS = ("1", "2", "3", "4", "5", "8", "13")
HUGE = "A" * 100_000
# What the views read from query strings and forms, found in their source, so a new parameter
# is fuzzed without editing this test.
_READ = re.compile(r"""(?:args|form|f)\.(?:get|getlist)\(\s*"([A-Za-z0-9_]+)\"""")
VIEW_PARAMETERS = sorted(
    {
        name
        for source in (PROJECT_ROOT / "incident_tracker" / "web").glob("*.py")
        for name in _READ.findall(Path(source).read_text())
    }
    - {"csrf_token"}
)
# Signing out ends the fuzzing session; the change-password form is throttled like sign-in, so
# fuzzing it locks the fuzzing account out (tested in test_auth_failure_audit.py).
NOT_FUZZED = ("auth.logout", "auth.password_post")

values = st.one_of(
    st.sampled_from(BOUNDARY),
    st.sampled_from(BOUNDARY + VALID_IDS + ("999999",)),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)


@dataclass
class Form:
    action: str
    page: str
    names: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return re.sub(r"\d+", "N", self.action), tuple(self.names)


class Forms(HTMLParser):
    """The POST forms of a page, with the values a browser would submit unchanged."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.found = page, list[Form]()
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, first, chosen
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(a.get("action") or self.page, self.page)
                self.found.append(self._form)
            return
        form, name = self._form, a.get("name", "")
        if form is None:
            return
        if name and tag in ("input", "select", "textarea") and name not in form.names:
            form.names.append(name)
        kind = a.get("type", "text").lower()
        if tag == "input" and name and kind not in ("submit", "button", "reset", "file", "image"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                form.fields.append((name, a.get("value", "on")))
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, chosen = self._select
            self._form.fields.extend((name, v) for v in (chosen or options[:1]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], self._textarea[1]))
            self._textarea = None


def forms_on(client: FlaskClient, page: str) -> list[Form]:
    response = client.get(page)
    if response.status_code != 200 or "html" not in response.content_type:
        return []
    parser = Forms(page)
    parser.feed(response.get_data(as_text=True))
    return parser.found


def fill(rule: Rule, args: dict[str, str]) -> str:
    path = rule.rule
    for name, value in args.items():
        path = re.sub(rf"<(?:[^<>:]+:)?{name}>", quote(value, safe=""), path)
    return path


@dataclass
class World:
    app: Flask
    clients: dict[str, FlaskClient]
    users: dict[str, User]
    get_rules: list[Rule]
    post_rules: list[Rule]
    forms: dict[str, list[Form]]

    def answer(self, role: str, method: str, url: str, data: Any = None) -> int:
        client = self.clients[role]
        response = client.open(url, method=method, data=data)
        assert response.status_code < 500, f"{role} {method} {url[:300]} {str(data)[:600]}"
        sent_to_sign_in = "/login" in response.headers.get("Location", "")
        if sent_to_sign_in and client.get("/").status_code == 302:  # e.g. a fuzzed role change
            sign_in(client, self.users[role].email)
        return response.status_code

    def __repr__(self) -> str:  # Hypothesis prints the arguments of a failing example
        return f"World({len(self.get_rules)} GET rules, {len(self.post_rules)} POST rules)"

    def token(self, role: str) -> str:
        """A valid CSRF token of the role's session (signed in again if a POST ended it)."""
        client = self.clients[role]
        if client.get("/").status_code == 302:
            sign_in(client, self.users[role].email)
        page = client.get("/account/calendar")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
        assert found, f"no CSRF token: {page.status_code} {page.headers.get('Location')}"
        return found.group(1)


@pytest.fixture(name="settings")
def lifted_throttles(settings: Settings) -> Settings:
    """The fuzz sends bad sign-ins, codes and reset forms by the hundred from one address: the
    throttles that would then refuse the fuzzing accounts' own sign-in are lifted here (they
    are tested in test_auth_failure_audit.py and test_mfa.py)."""
    return replace(settings, max_failed_logins=10**6, max_failed_logins_per_address=10**6)


@pytest.fixture
def world(
    app: Flask, settings: Settings, clock: FixedClock, admin: User, officer: User
) -> Iterator[World]:
    engine = make_engine(settings.db_url)
    with unit_of_work(engine) as session:
        call = Call(session, SYSTEM, clock.now(), AUDIT_KEY)
        demo.seed(call, settings.instance_path / "demo-credentials.txt", settings.notice_storage)
    engine.dispose()
    users = {"admin": admin, "officer": officer}
    clients = {role: app.test_client() for role in users}
    for role, client in clients.items():
        sign_in(client, users[role].email)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in NOT_FUZZED]
    get_rules = sorted((r for r in rules if "GET" in (r.methods or ())), key=str)
    post_rules = sorted((r for r in rules if "POST" in (r.methods or ())), key=str)
    # Forms that would change the fuzzing accounts themselves are left out.
    own = tuple(f"/admin/users/{u.id}/" for u in users.values())
    skipped = {r.rule for r in app.url_map.iter_rules() if r.endpoint in NOT_FUZZED}
    forms: dict[str, list[Form]] = {}
    for role, client in clients.items():
        found: dict[tuple[str, tuple[str, ...]], Form] = {}
        for rule in get_rules:
            for n in VALID_IDS[:3] if rule.arguments else ("",):
                page = fill(rule, dict.fromkeys(rule.arguments, n))
                for form in forms_on(client, page):
                    if not form.action.startswith(own) and form.action not in skipped:
                        found.setdefault(form.key, form)
        forms[role] = sorted(found.values(), key=lambda f: f.key)
    assert len(forms["admin"]) >= 5 and len(forms["officer"]) >= 15, "the crawl found no forms"
    yield World(app, clients, users, get_rules, post_rules, forms)


Plan = list[tuple[str, str, list[str]]]  # field name, what is done to it, its new values


def _plan(data: st.DataObject, names: list[str]) -> Plan:
    """What to do to a form's fields (or a query's parameters), drawn before the form is fetched
    (the draws must not depend on the database, which earlier examples change): a few fields
    changed, dropped, repeated or made huge; or every field given one value; or every field a
    value of its own."""
    names = [n for n in names if n != "csrf_token"]
    if not names:
        return []
    mode = data.draw(st.sampled_from(("some", "all alike", "all")), label="mode")
    if mode == "all alike":
        value = data.draw(values, label="every field")
        return [(name, "value", [value]) for name in names]
    if mode == "all":
        return [(name, "value", [data.draw(values, label=name)]) for name in names]
    plan: Plan = []
    for name in data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True)):
        how = data.draw(st.sampled_from(("value", "missing", "repeated", "huge")), label=name)
        count = {"value": 1, "repeated": 2}.get(how, 0)
        plan.append((name, how, [data.draw(values, label=name) for _ in range(count)]))
    return plan


def _apply(plan: Plan, fields: list[tuple[str, str]]) -> MultiDict[str, str]:
    form: MultiDict[str, str] = MultiDict(fields)
    for name, how, new in plan:
        if how == "missing":
            form.poplist(name)
        else:
            form.setlist(name, [HUGE] if how == "huge" else new)
    return form


FUZZ = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    # No shrinking: an example sends dozens of requests; the failing one is in the message.
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROLES = st.sampled_from(("admin", "officer"))


def _query(data: st.DataObject) -> str:
    plan = _plan(data, VIEW_PARAMETERS)
    query = [(name, new[0] if new else "") for name, _, new in plan]
    return "?" + urlencode(query) if query else ""


@FUZZ
@given(data=st.data(), role=ROLES)
def test_no_get_of_any_route_gives_a_server_error(
    world: World, data: st.DataObject, role: str
) -> None:
    """Each example sends every GET route, its path arguments and query drawn once."""
    names = sorted({name for rule in world.get_rules for name in rule.arguments})
    args = {name: data.draw(values, label=name) for name in names}
    query = _query(data)
    for rule in world.get_rules:
        world.answer(role, "GET", fill(rule, {n: args[n] for n in rule.arguments}) + query)


@FUZZ
@given(data=st.data(), role=ROLES)
def test_no_form_post_gives_a_server_error(world: World, data: st.DataObject, role: str) -> None:
    """Each example submits every form the role was shown, each with a plan of its own, then
    POSTs to every POST route with fields named as the views read them (for forms a script
    builds, and for forged requests)."""
    client = world.clients[role]
    forms = world.forms[role]
    plans = [_plan(data, template.names) for template in forms]
    ids = {
        name: data.draw(st.sampled_from(VALID_IDS + BOUNDARY[:6]), label=name)
        for name in sorted({name for rule in world.post_rules for name in rule.arguments})
    }
    blind = _plan(data, VIEW_PARAMETERS)
    for template, plan in zip(forms, plans, strict=True):
        # Filled in fresh, as a user would: the current lock version and a valid CSRF token.
        found = [f for f in forms_on(client, template.page) if f.key == template.key]
        if not found:  # gone, e.g. an earlier POST removed what it acts on
            continue
        form = _apply(plan, found[0].fields)
        if "csrf_token" not in form:
            form["csrf_token"] = world.token(role)
        world.answer(role, "POST", found[0].action, form)
    token = world.token(role)
    for rule in world.post_rules:
        world.answer(role, "POST", fill(rule, ids), _apply(blind, [("csrf_token", token)]))

"""App factory: settings checked, database engine, sign-in, CSRF, headers, blueprints."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from incident_tracker import files
from incident_tracker.clock import SystemClock
from incident_tracker.config import PROJECT_ROOT, ConfigError, Settings
from incident_tracker.db import make_engine, unit_of_work
from incident_tracker.services import demo, kept
from incident_tracker.services.audit import SYSTEM
from incident_tracker.services.call import Call
from incident_tracker.web import (
    access,
    account_links,
    admin,
    assessment,
    auth,
    break_glass,
    errors,
    home,
    ids,
    incident_sections,
    incidents,
    individuals,
    links,
    mfa,
    notices,
    proof,
    reminders,
    rule_sets,
    runtime,
    security,
    sending,
    sso,
    work,
)


def build(settings: Settings | None) -> Flask:
    settings = settings or Settings.from_env(os.environ)
    settings.check()
    files.fix_sqlite(settings.db_url)
    app = Flask(
        "incident_tracker",
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "incident_tracker" / "static"),
        instance_path=str(settings.instance_path.resolve()),
    )
    app.config.from_mapping(settings.flask_config())
    ids.init_app(app)  # before any route is added
    clock = settings.clock or SystemClock()
    engine = make_engine(settings.db_url)
    runtime.close_held_on_dispose(engine)
    app.extensions["incident_tracker.settings"] = settings
    app.extensions["incident_tracker.clock"] = clock
    app.extensions["incident_tracker.engine"] = engine
    app.extensions["incident_tracker.kept"] = kept.Store()
    if settings.production:
        with unit_of_work(engine) as session:
            active = demo.active_demo_accounts(
                Call(session, SYSTEM, clock.now(), settings.audit_key)
            )
        if active:
            engine.dispose()
            raise ConfigError(
                f"refusing to start in production: {len(active)} demo account(s) can still sign "
                "in; run `incident-tracker users retire-demo`"
            )
    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    security.init_app(app)
    links.init_app(app)
    app.jinja_env.globals["not_for_real_data"] = settings.not_for_real_data
    blueprints = (auth, home, admin, incidents, reminders, assessment, notices)
    more = (sending, individuals, mfa, account_links, break_glass, access, sso, rule_sets)
    more += (incident_sections,)
    more += (work,)  # review queue, duties, staff reports
    more += (proof,)  # annual log, evidence files, exports, disclosures, dashboard
    for module in (*blueprints, *more):
        app.register_blueprint(module.bp)
    from incident_tracker import api  # the JSON API (its own blueprint, OpenAPI document)

    api.init_app(app)
    errors.init_app(app)
    return app

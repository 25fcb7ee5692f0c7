"""Application factory (flaskr style): nothing is built at import time."""

import atexit
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import get_locale, gettext
from werkzeug.middleware.proxy_fix import ProxyFix

from claimkit.adapters import logs
from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.mailer import mailer_from_config
from claimkit.adapters.package_data import package_path
from claimkit.adapters.page_store import PageStore
from claimkit.adapters.scan_worker import ScanWorker
from claimkit.config import settings_from_env
from claimkit.domain.messages import N_
from claimkit.services import system_clock
from claimkit.web import (
    account,
    auth,
    cards,
    claims,
    cli,
    errors,
    filters,
    form_fields,
    guard,
    html_attributes,
    main,
    notifications,
    own_sheets,  # noqa: F401 - adds « Ma feuille officielle » routes to the claims blueprint
    photos,
    profile,
    registration,
    scan,
    security,
    template_i18n,
)
from claimkit.web import db as web_db
from claimkit.web.deps import Deps, install
from claimkit.web.extensions import babel, csrf, login_manager, select_locale
from claimkit.web.links import RouteLinks

PACKAGE = package_path()


def _build(app: Flask) -> Deps:
    """The dependencies from the configuration: a CLOCK and a MAILER in it replace the real ones (tests)."""
    engine = make_engine(app.config["DATABASE_URL"])
    worker = ScanWorker(owner_locks=Path(app.instance_path) / "scan-locks")  # one decoding child per process
    atexit.register(worker.close)
    return Deps(
        engine=engine,
        sessions=make_session_factory(engine),
        clock=app.config.get("CLOCK", system_clock),
        mailer=app.config.get("MAILER") or mailer_from_config(app.config),
        scanner=worker,
        links=RouteLinks(app),
        pages=PageStore(int(app.config["PAGE_CACHE_BYTES"])),
    )


def create_app(config: Mapping[str, Any] | None = None, built: Deps | None = None) -> Flask:
    """The app from `config` (over the environment's settings); `built` replaces the dependencies it would build."""
    config = dict(config or {})
    instance = Path(config.pop("INSTANCE_PATH", None) or os.environ.get("CLAIMKIT_INSTANCE") or Path.cwd() / "instance")
    instance.mkdir(parents=True, exist_ok=True)
    app = errors.App(
        "claimkit",
        instance_path=str(instance),
        template_folder=str(PACKAGE / "templates"),
        static_folder=str(PACKAGE / "static"),
    )
    app.config.update(settings_from_env(instance))
    app.config.update(config)
    logs.configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])

    if proxies := int(app.config["TRUSTED_PROXIES"]):
        # request.remote_addr becomes the client's address as the trusted proxies saw it (SECURITY.md).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    install(app, built or _build(app))

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Connectez-vous pour continuer.")
    login_manager.localize_callback = gettext
    login_manager.session_protection = None  # revocation is server-side (user_sessions)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PACKAGE / "translations"))
    babel.init_app(app, locale_selector=select_locale)
    template_i18n.init_app(app)
    app.jinja_env.globals["get_locale"] = get_locale

    web_db.init_app(app)
    security.init_app(app)
    guard.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    filters.init_app(app)
    cards.init_app(app)
    html_attributes.install()
    form_fields.init_app(app)
    for blueprint in (
        auth.bp,
        profile.bp,
        registration.bp,
        claims.bp,
        claims.english,
        photos.bp,
        scan.bp,
        notifications.bp,
        account.bp,
        main.bp,
    ):
        app.register_blueprint(blueprint)
    return app

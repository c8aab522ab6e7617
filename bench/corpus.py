"""A deterministic, generated code base that looks like real Flask applications.

    python bench/corpus.py DEST [--lines 32000]     # write the corpus under DEST
    python bench/corpus.py DEST --module 5000       # write one Flask module of about 5,000 lines

Each application is a package with an app factory, a config module with config classes,
extensions, SQLAlchemy models, one blueprint per resource (HTML views with forms, request
arguments, ``render_template``, ``redirect(url_for(...))``, ``flash``, ``abort``; a JSON API;
WTForms forms), a service layer and helper modules that have nothing to do with Flask, Jinja
templates, tests, a ``wsgi.py`` and a ``manage.py``. Names, fields and optional features are drawn
from a seeded random generator, so the same arguments always give the same files, byte for byte.
A few of the mistakes real applications contain are part of it (a development server started
with debug mode in ``manage.py``, a hardcoded development key, an unchecked ``next`` redirect),
so the findings check has findings to compare.
"""

from __future__ import annotations

import argparse
import random
import textwrap
from pathlib import Path
from string import Template

SEED = 20240611

APPS = (
    ("shopfront", ("product", "order", "customer", "coupon", "review", "shipment", "invoice")),
    ("helpdesk", ("ticket", "agent", "queue", "macro", "article", "survey")),
    ("bookclub", ("book", "member", "meeting", "vote", "shelf", "note")),
    ("fleetops", ("vehicle", "driver", "route", "trip", "fuel_log", "inspection", "garage")),
    ("clinicdesk", ("patient", "appointment", "doctor", "prescription", "room", "bill")),
    ("eventhub", ("event", "venue", "speaker", "ticket_type", "attendee", "sponsor")),
    ("recipebox", ("recipe", "ingredient", "menu", "pantry_item", "cook", "tag")),
    ("devboard", ("project", "issue", "sprint", "release", "comment", "label", "milestone")),
    ("fieldnotes", ("site", "sample", "observer", "species", "photo", "transect")),
    ("payrollpro", ("employee", "payslip", "department", "timesheet", "bonus", "holiday")),
)

FIELD_CHOICES = (
    ("title", "db.String(200)", "StringField", '"title"'),
    ("name", "db.String(120)", "StringField", '"name"'),
    ("description", "db.Text", "TextAreaField", '"description"'),
    ("status", "db.String(32)", "SelectField", '"status"'),
    ("quantity", "db.Integer", "IntegerField", '"quantity"'),
    ("price_cents", "db.Integer", "IntegerField", '"price_cents"'),
    ("email", "db.String(255)", "StringField", '"email"'),
    ("starts_at", "db.DateTime", "DateTimeField", '"starts_at"'),
    ("notes", "db.Text", "TextAreaField", '"notes"'),
    ("priority", "db.Integer", "IntegerField", '"priority"'),
    ("code", "db.String(40)", "StringField", '"code"'),
    ("is_active", "db.Boolean", "BooleanField", '"is_active"'),
)


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def plural(name: str) -> str:
    if name.endswith("y") and not name.endswith("ey"):
        return name[:-1] + "ies"
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    return name + "s"


def render(template: str, **values: object) -> str:
    return textwrap.dedent(Template(template).substitute(**values)).lstrip("\n")


# -- application package ---------------------------------------------------------------------
FACTORY = '''
"""The $app application factory."""

import logging
import os

from flask import Flask, jsonify, render_template, request

from .config import config_by_name
from .extensions import cache, csrf, db, login_manager, migrate

log = logging.getLogger(__name__)


def create_app(config_name=None):
    """Build and configure the application."""
    app = Flask(__name__, instance_relative_config=True)
    config_name = config_name or os.environ.get("${APP_UPPER}_CONFIG", "production")
    app.config.from_object(config_by_name[config_name])
    app.config.from_pyfile("settings.cfg", silent=True)
    app.config.from_prefixed_env("${APP_UPPER}")
    os.makedirs(app.instance_path, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    configure_logging(app)
    return app


def register_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"


def register_blueprints(app):
$blueprint_imports
$blueprint_registrations


def register_error_handlers(app):
    @app.errorhandler(404)
    def not_found(error):
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error="not found"), 404
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(error):
        log.exception("unhandled error: %s", error)
        db.session.rollback()
        return render_template("errors/500.html"), 500


def register_template_helpers(app):
    @app.template_filter("cents")
    def format_cents(value):
        return "{:,.2f}".format((value or 0) / 100)

    @app.context_processor
    def inject_globals():
        return {"app_name": app.config.get("APP_NAME", "$App")}


def register_commands(app):
    @app.cli.command("seed")
    def seed():
        """Load demo data."""
        from .seed import load_demo_data

        load_demo_data(db.session)
        db.session.commit()


def configure_logging(app):
    if app.debug or app.testing:
        return
    handler = logging.StreamHandler()
    handler.setLevel(app.config.get("LOG_LEVEL", logging.INFO))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    app.logger.addHandler(handler)
'''

CONFIG = '''
"""Configuration classes, chosen by name in create_app()."""

import os
from datetime import timedelta

basedir = os.path.abspath(os.path.dirname(__file__))


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    APP_NAME = "$App"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///" + os.path.join(basedir, "$app.db"))
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=$session_hours)
    ITEMS_PER_PAGE = $per_page
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 300
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = env_flag("MAIL_USE_TLS")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = $dev_key
    SQLALCHEMY_ECHO = env_flag("SQL_ECHO")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


config_by_name = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
'''

EXTENSIONS = '''
"""Extension objects, bound to the app in create_app()."""

from flask_caching import Cache
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

db = SQLAlchemy()
migrate = Migrate()
csrf = CSRFProtect()
cache = Cache()
login_manager = LoginManager()
'''

MODEL = '''
"""The $Resource model."""

from datetime import datetime

from ..extensions import db


class $Resource(db.Model):
    __tablename__ = "$resources"

    id = db.Column(db.Integer, primary_key=True)
$columns
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, default=datetime.utcnow, nullable=False)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
    deleted = db.Column(db.Boolean, default=False, nullable=False)

    def __repr__(self):
        return "<$Resource %r>" % (self.id,)

    @property
    def label(self):
        return str(getattr(self, "$label_field", None) or "$Resource #%s" % self.id)

    def to_dict(self):
        return {
            "id": self.id,
$dict_items
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }

    def update_from(self, data):
        for key in ($field_tuple):
            if key in data:
                setattr(self, key, data[key])
        self.updated_at = datetime.utcnow()

    @classmethod
    def active(cls):
        return cls.query.filter_by(deleted=False)

    @classmethod
    def search(cls, term):
        pattern = "%{}%".format(term)
        return cls.active().filter(cls.$label_field.ilike(pattern))
'''

BLUEPRINT_INIT = '''
from flask import Blueprint

bp = Blueprint("$resource", __name__, url_prefix="/$resources", template_folder="templates")

from . import api, views  # noqa: E402,F401
'''

VIEWS = '''
"""HTML views for $resources."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models.$resource import $Resource
from . import bp
from .forms import ${Resource}Form, ${Resource}SearchForm
from .services import ${Resource}Service


def _page_args():
    page = request.args.get("page", 1, type=int)
    per_page = min(request.args.get("per_page", current_app.config["ITEMS_PER_PAGE"], type=int), 100)
    return page, per_page


def _get_or_404(${resource}_id):
    $resource = db.session.get($Resource, ${resource}_id)
    if $resource is None or $resource.deleted:
        abort(404)
    return $resource


@bp.route("/")
@login_required
def index():
    page, per_page = _page_args()
    form = ${Resource}SearchForm(request.args, meta={"csrf": False})
    query = $Resource.active()
    if form.validate() and form.q.data:
        query = $Resource.search(form.q.data)
    sort = request.args.get("sort", "created_at")
    if sort not in ("created_at", "$label_field"):
        sort = "created_at"
    pagination = query.order_by(getattr($Resource, sort).desc()).paginate(page=page, per_page=per_page)
    return render_template("$resource/index.html", pagination=pagination, form=form, sort=sort)


@bp.route("/<int:${resource}_id>")
@login_required
def detail(${resource}_id):
    $resource = _get_or_404(${resource}_id)
    history = ${Resource}Service.history($resource)
    return render_template("$resource/detail.html", $resource=$resource, history=history)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    form = ${Resource}Form()
    if form.validate_on_submit():
        $resource = $Resource()
        form.populate_obj($resource)
        $resource.owner_id = current_user.id
        db.session.add($resource)
        db.session.commit()
        flash("$Label created.", "success")
        return redirect(url_for("$resource.detail", ${resource}_id=$resource.id))
    return render_template("$resource/form.html", form=form, title="New $label")


@bp.route("/<int:${resource}_id>/edit", methods=["GET", "POST"])
@login_required
def edit(${resource}_id):
    $resource = _get_or_404(${resource}_id)
    if $resource.owner_id != current_user.id and not current_user.is_admin:
        abort(403)
    form = ${Resource}Form(obj=$resource)
    if form.validate_on_submit():
        form.populate_obj($resource)
        db.session.commit()
        flash("$Label saved.", "success")
        return redirect(url_for("$resource.detail", ${resource}_id=$resource.id))
    return render_template("$resource/form.html", form=form, $resource=$resource, title="Edit $label")


@bp.route("/<int:${resource}_id>/delete", methods=["POST"])
@login_required
def delete(${resource}_id):
    $resource = _get_or_404(${resource}_id)
    ${Resource}Service.soft_delete($resource, by=current_user)
    db.session.commit()
    flash("$Label deleted.", "info")
    return redirect(url_for("$resource.index"))
$extra_views
'''

VIEW_EXPORT = '''

@bp.route("/export.csv")
@login_required
def export_csv():
    rows = ${Resource}Service.export_rows($Resource.active())
    headers = {"Content-Disposition": "attachment; filename=$resources.csv"}
    return current_app.response_class(rows, mimetype="text/csv", headers=headers)
'''

VIEW_BULK = '''

@bp.route("/bulk", methods=["POST"])
@login_required
def bulk_action():
    ids = [int(value) for value in request.form.getlist("ids") if value.isdigit()]
    action = request.form.get("action", "")
    if action not in ("archive", "restore"):
        abort(400)
    count = ${Resource}Service.bulk(ids, action)
    db.session.commit()
    flash("{} $resources updated.".format(count), "info")
    return redirect(request.referrer or url_for("$resource.index"))
'''

VIEW_NEXT = '''

@bp.route("/<int:${resource}_id>/follow", methods=["POST"])
@login_required
def follow(${resource}_id):
    $resource = _get_or_404(${resource}_id)
    ${Resource}Service.follow($resource, current_user)
    db.session.commit()
    return redirect(request.args.get("next") or url_for("$resource.detail", ${resource}_id=$resource.id))
'''

API = '''
"""JSON API for $resources."""

from flask import abort, jsonify, request
from flask_login import current_user, login_required

from ..extensions import csrf, db
from ..models.$resource import $Resource
from . import bp
from .services import ${Resource}Service, ValidationError


@bp.get("/api")
@login_required
def api_list():
    limit = min(request.args.get("limit", 50, type=int), 500)
    offset = request.args.get("offset", 0, type=int)
    items = $Resource.active().offset(offset).limit(limit).all()
    return jsonify(items=[item.to_dict() for item in items], offset=offset, limit=limit)


@bp.get("/api/<int:${resource}_id>")
@login_required
def api_detail(${resource}_id):
    $resource = db.session.get($Resource, ${resource}_id)
    if $resource is None:
        abort(404)
    return jsonify($resource.to_dict())


@bp.route("/api", methods=["POST"])
@csrf.exempt
@login_required
def api_create():
    data = request.get_json(silent=True) or {}
    try:
        cleaned = ${Resource}Service.validate(data)
    except ValidationError as error:
        return jsonify(errors=error.messages), 422
    $resource = $Resource(owner_id=current_user.id)
    $resource.update_from(cleaned)
    db.session.add($resource)
    db.session.commit()
    return jsonify($resource.to_dict()), 201


@bp.route("/api/<int:${resource}_id>", methods=["PUT", "PATCH"])
@csrf.exempt
@login_required
def api_update(${resource}_id):
    $resource = db.session.get($Resource, ${resource}_id) or abort(404)
    data = request.get_json(silent=True) or {}
    try:
        cleaned = ${Resource}Service.validate(data, partial=request.method == "PATCH")
    except ValidationError as error:
        return jsonify(errors=error.messages), 422
    $resource.update_from(cleaned)
    db.session.commit()
    return jsonify($resource.to_dict())


@bp.delete("/api/<int:${resource}_id>")
@csrf.exempt
@login_required
def api_delete(${resource}_id):
    $resource = db.session.get($Resource, ${resource}_id) or abort(404)
    ${Resource}Service.soft_delete($resource, by=current_user)
    db.session.commit()
    return "", 204
'''

FORMS = '''
"""Forms for $resources."""

from flask_wtf import FlaskForm
from wtforms import $form_imports
from wtforms.validators import DataRequired, Length, Optional


class ${Resource}Form(FlaskForm):
$form_fields


class ${Resource}SearchForm(FlaskForm):
    q = StringField("Search", validators=[Optional(), Length(max=100)])
'''

SERVICES = '''
"""Business rules for $resources; no web framework in here."""

import csv
import io
import logging
from datetime import datetime

from ..utils.text import normalise_whitespace, slugify
from ..utils.validation import ValidationError, require_int, require_text

log = logging.getLogger(__name__)

FIELDS = ($field_tuple)
__all__ = ["${Resource}Service", "ValidationError"]


class ${Resource}Service:
    """Operations on $resources that views and the API share."""

    @staticmethod
    def validate(data, partial=False):
        cleaned = {}
        errors = {}
        for field in FIELDS:
            if field not in data:
                if not partial and field == "$label_field":
                    errors[field] = "required"
                continue
            value = data[field]
            try:
                if isinstance(value, str):
                    cleaned[field] = require_text(normalise_whitespace(value), max_length=2000)
                elif isinstance(value, bool) or value is None:
                    cleaned[field] = value
                else:
                    cleaned[field] = require_int(value, minimum=0)
            except ValidationError as error:
                errors[field] = str(error)
        if errors:
            raise ValidationError(errors)
        return cleaned

    @staticmethod
    def history($resource):
        entries = []
        if $resource.created_at:
            entries.append(("created", $resource.created_at))
        if $resource.updated_at and $resource.updated_at != $resource.created_at:
            entries.append(("updated", $resource.updated_at))
        return sorted(entries, key=lambda entry: entry[1], reverse=True)

    @staticmethod
    def soft_delete($resource, by=None):
        $resource.deleted = True
        $resource.updated_at = datetime.utcnow()
        log.info("$resource %s deleted by %s", $resource.id, getattr(by, "id", None))

    @staticmethod
    def bulk(ids, action):
        from ..models.$resource import $Resource

        count = 0
        for $resource in $Resource.query.filter($Resource.id.in_(ids)):
            $resource.deleted = action == "archive"
            count += 1
        return count

    @staticmethod
    def follow($resource, user):
        log.debug("%s follows $resource %s", user.id, $resource.id)

    @staticmethod
    def export_rows(query):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(("id",) + FIELDS)
        yield buffer.getvalue()
        for item in query.yield_per(500):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([item.id] + [getattr(item, field) for field in FIELDS])
            yield buffer.getvalue()

    @staticmethod
    def slug_for($resource):
        return slugify("{}-{}".format($resource.label, $resource.id))
'''

TEXT_UTILS = '''
"""Text helpers shared by the services."""

import re
import unicodedata

_WHITESPACE = re.compile(r"\\s+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_whitespace(value):
    return _WHITESPACE.sub(" ", value).strip()


def slugify(value, max_length=80):
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = _NON_WORD.sub("-", value.lower()).strip("-")
    return value[:max_length].rstrip("-") or "item"


def truncate(value, length=120, suffix="..."):
    if len(value) <= length:
        return value
    return value[: length - len(suffix)].rsplit(" ", 1)[0] + suffix


def initials(name):
    parts = [part for part in name.split() if part]
    return "".join(part[0].upper() for part in parts[:3])


def pluralise(count, singular, plural=None):
    if count == 1:
        return "1 " + singular
    return "{} {}".format(count, plural or singular + "s")


def split_tags(value, separator=","):
    seen = []
    for tag in value.split(separator):
        tag = normalise_whitespace(tag).lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def mask(value, visible=4):
    if len(value) <= visible:
        return "*" * len(value)
    return "*" * (len(value) - visible) + value[-visible:]
'''

VALIDATION_UTILS = '''
"""Validation helpers with no dependency on the web layer."""


class ValidationError(Exception):
    def __init__(self, messages):
        super().__init__(messages)
        self.messages = messages if isinstance(messages, dict) else {"_": messages}

    def __str__(self):
        return "; ".join("{}: {}".format(key, value) for key, value in sorted(self.messages.items()))


def require_text(value, max_length=255, allow_empty=False):
    if not isinstance(value, str):
        raise ValidationError("must be text")
    if not value and not allow_empty:
        raise ValidationError("must not be empty")
    if len(value) > max_length:
        raise ValidationError("at most {} characters".format(max_length))
    return value


def require_int(value, minimum=None, maximum=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError("must be a whole number") from None
    if minimum is not None and number < minimum:
        raise ValidationError("at least {}".format(minimum))
    if maximum is not None and number > maximum:
        raise ValidationError("at most {}".format(maximum))
    return number


def require_choice(value, choices):
    if value not in choices:
        raise ValidationError("one of: " + ", ".join(sorted(choices)))
    return value
'''

DATES_UTILS = '''
"""Date arithmetic for reports and schedules."""

from datetime import date, datetime, timedelta

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def start_of_week(day):
    return day - timedelta(days=day.weekday())


def month_range(year, month):
    first = date(year, month, 1)
    if month == 12:
        following = date(year + 1, 1, 1)
    else:
        following = date(year, month + 1, 1)
    return first, following - timedelta(days=1)


def business_days_between(start, end):
    days = 0
    current = start
    while current < end:
        if current.weekday() < 5:
            days += 1
        current += timedelta(days=1)
    return days


def humanise_delta(then, now=None):
    now = now or datetime.utcnow()
    seconds = int((now - then).total_seconds())
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return "{} {}{} ago".format(count, unit, "" if count == 1 else "s")
    return "just now"


def parse_iso_date(value, default=None):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return default
'''

PAGINATION_UTILS = '''
"""Pagination arithmetic used by list views and exports."""

import math


class Page:
    def __init__(self, items, page, per_page, total):
        self.items = items
        self.page = page
        self.per_page = per_page
        self.total = total

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    def window(self, size=5):
        start = max(1, self.page - size // 2)
        end = min(self.pages, start + size - 1)
        start = max(1, end - size + 1)
        return list(range(start, end + 1))


def paginate_list(items, page, per_page):
    page = max(1, page)
    start = (page - 1) * per_page
    return Page(items[start:start + per_page], page, per_page, len(items))


def chunked(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
'''

AUTH = '''
"""Sign-in and sign-out."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from werkzeug.security import check_password_hash

from .extensions import db, login_manager
from .models.user import User

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        user = User.query.filter_by(email=email).first()
        if user is None or not check_password_hash(user.password_hash, request.form.get("password", "")):
            flash("Wrong email or password.", "danger")
            return render_template("auth/login.html", email=email), 401
        login_user(user, remember=bool(request.form.get("remember")))
        session.permanent = True
        return redirect(url_for("main.dashboard"))
    return render_template("auth/login.html")


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
'''

USER_MODEL = '''
"""Users."""

from flask_login import UserMixin
from werkzeug.security import generate_password_hash

from ..extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    is_admin = db.Column(db.Boolean, default=False, nullable=False)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)
'''

MAIN = '''
"""The dashboard."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

$model_imports

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def dashboard():
    counts = {
$counts
    }
    return render_template("main/dashboard.html", counts=counts, user=current_user)


@bp.route("/healthz")
def health():
    return {"status": "ok"}
'''

SEED_MODULE = '''
"""Demo data for `flask seed`."""

import random

$model_imports

WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")


def load_demo_data(session, count=20, seed=7):
    rng = random.Random(seed)
$seed_loops
'''

WSGI = '''
from $app import create_app

application = create_app()
'''

MANAGE = '''
"""Run the development server: python manage.py"""

import os

from $app import create_app

app = create_app(os.environ.get("${APP_UPPER}_CONFIG", "development"))

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")), debug=True)
'''

MANAGE_SAFE = '''
"""Run the development server: python manage.py"""

import os

from $app import create_app

app = create_app(os.environ.get("${APP_UPPER}_CONFIG", "development"))

if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "5000")))
'''

TESTS = '''
import pytest

from $app import create_app
from $app.extensions import db


@pytest.fixture
def app():
    app = create_app("testing")
    with app.app_context():
        db.create_all()
        yield app
        db.drop_all()


@pytest.fixture
def client(app):
    return app.test_client()


def test_index_requires_login(client):
    response = client.get("/$resources/")
    assert response.status_code == 302


def test_api_rejects_anonymous(client):
    response = client.post("/$resources/api", json={"$label_field": "x"})
    assert response.status_code in (302, 401)


def test_validation_messages(app):
    from $app.$resource.services import ${Resource}Service, ValidationError

    with pytest.raises(ValidationError):
        ${Resource}Service.validate({}, partial=False)
'''

TEMPLATE_INDEX = '''
{% extends "base.html" %}
{% block title %}$Labels{% endblock %}
{% block content %}
<h1>$Labels</h1>
<form method="get">{{ form.q(placeholder="Search") }}</form>
<table class="table">
  {% for item in pagination.items %}
  <tr><td><a href="{{ url_for('$resource.detail', ${resource}_id=item.id) }}">{{ item.label }}</a></td>
      <td>{{ item.created_at.strftime("%Y-%m-%d") }}</td></tr>
  {% else %}
  <tr><td>No $resources yet.</td></tr>
  {% endfor %}
</table>
{% endblock %}
'''

TEMPLATE_DETAIL = '''
{% extends "base.html" %}
{% block content %}
<h1>{{ $resource.label }}</h1>
<ul>{% for what, when in history %}<li>{{ what }} {{ when }}</li>{% endfor %}</ul>
<form method="post" action="{{ url_for('$resource.delete', ${resource}_id=$resource.id) }}">
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <button>Delete</button>
</form>
{% endblock %}
'''

TEMPLATE_FORM = '''
{% extends "base.html" %}
{% block content %}
<h1>{{ title }}</h1>
<form method="post">
  {{ form.hidden_tag() }}
  {% for field in form if field.widget.input_type != "hidden" %}
  <p>{{ field.label }} {{ field() }}</p>
  {% endfor %}
  <button>Save</button>
</form>
{% endblock %}
'''

TEMPLATE_BASE = '''
<!doctype html>
<html>
<head><title>{% block title %}{{ app_name }}{% endblock %}</title></head>
<body>
{% with messages = get_flashed_messages(with_categories=true) %}
  {% for category, message in messages %}<div class="alert alert-{{ category }}">{{ message }}</div>{% endfor %}
{% endwith %}
{% block content %}{% endblock %}
</body>
</html>
'''


# -- writers -----------------------------------------------------------------------------------
class Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.python_lines = 0

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if relative.endswith(".py"):
            self.python_lines += text.count("\n")


def _validator(required: bool) -> str:
    return "DataRequired()" if required else "Optional()"


def _resource_values(rng: random.Random, app: str, resource: str) -> dict[str, object]:
    fields = rng.sample(FIELD_CHOICES, rng.randint(3, 6))
    label_field = next((f[0] for f in fields if f[1].startswith("db.String")), "id")
    if label_field == "id":
        fields = [FIELD_CHOICES[1]] + fields
        label_field = "name"
    columns = "\n".join(f"    {name} = db.Column({kind}, nullable=True)" for name, kind, _, _ in fields)
    dict_items = "\n".join(f'            "{name}": self.{name},' for name, _, _, _ in fields)
    form_fields = "\n".join(
        f'    {name} = {form}("{camel(name)}", validators=[{_validator(name == label_field)}])'
        for name, _, form, _ in fields
    )
    field_tuple = ", ".join(f[3] for f in fields) + ("," if len(fields) == 1 else "")
    form_imports = ", ".join(sorted({form for _, _, form, _ in fields} | {"StringField"}))
    return {
        "app": app,
        "App": camel(app),
        "resource": resource,
        "resources": plural(resource),
        "Resource": camel(resource),
        "label": resource.replace("_", " "),
        "Label": resource.replace("_", " ").capitalize(),
        "Labels": plural(resource).replace("_", " ").capitalize(),
        "label_field": label_field,
        "columns": columns,
        "dict_items": dict_items,
        "form_fields": form_fields,
        "field_tuple": field_tuple,
        "form_imports": form_imports,
    }


def write_app(writer: Writer, rng: random.Random, index: int, app: str, resources: tuple[str, ...]) -> None:
    base = f"{app}/{app}"
    upper = app.upper()
    imports = "\n".join(
        f"    from .{resource} import bp as {resource}_bp" for resource in resources
    ) + "\n    from .auth import bp as auth_bp\n    from .main import bp as main_bp"
    registrations = "\n".join(
        f"    app.register_blueprint({resource}_bp)" for resource in resources
    ) + "\n    app.register_blueprint(auth_bp)\n    app.register_blueprint(main_bp)"
    writer.write(f"{base}/__init__.py", render(
        FACTORY, app=app, App=camel(app), APP_UPPER=upper,
        blueprint_imports=imports, blueprint_registrations=registrations,
    ))
    dev_key = '"dev-{:x}"'.format(rng.getrandbits(64)) if index % 3 == 0 else 'os.environ.get("SECRET_KEY", "")'
    writer.write(f"{base}/config.py", render(
        CONFIG, app=app, App=camel(app), session_hours=rng.choice((8, 12, 24)),
        per_page=rng.choice((20, 25, 50)), dev_key=dev_key,
    ))
    writer.write(f"{base}/extensions.py", render(EXTENSIONS))
    writer.write(f"{base}/auth.py", render(AUTH))
    writer.write(f"{base}/models/__init__.py", "")
    writer.write(f"{base}/models/user.py", render(USER_MODEL))
    model_imports = "\n".join(f"from .models.{r} import {camel(r)}" for r in resources)
    counts = "\n".join(f'        "{plural(r)}": {camel(r)}.active().count(),' for r in resources)
    writer.write(f"{base}/main.py", render(MAIN, model_imports=model_imports, counts=counts))
    seed_loops = "\n".join(
        f"    for number in range(count):\n"
        f"        session.add({camel(r)}({_resource_values(random.Random(r), app, r)['label_field']}="
        f'"{{}} {{}}".format(rng.choice(WORDS), number)))'
        for r in resources
    )
    writer.write(f"{base}/seed.py", render(SEED_MODULE, model_imports=model_imports, seed_loops=seed_loops))
    writer.write(f"{base}/utils/__init__.py", "")
    writer.write(f"{base}/utils/text.py", render(TEXT_UTILS))
    writer.write(f"{base}/utils/validation.py", render(VALIDATION_UTILS))
    writer.write(f"{base}/utils/dates.py", render(DATES_UTILS))
    writer.write(f"{base}/utils/pagination.py", render(PAGINATION_UTILS))
    writer.write(f"{base}/templates/base.html", render(TEMPLATE_BASE))
    for number, resource in enumerate(resources):
        values = _resource_values(rng, app, resource)
        extra = ""
        if rng.random() < 0.6:
            extra += Template(VIEW_EXPORT).substitute(values)
        if rng.random() < 0.5:
            extra += Template(VIEW_BULK).substitute(values)
        if index % 4 == 1 and number == 0:
            extra += Template(VIEW_NEXT).substitute(values)
        writer.write(f"{base}/models/{resource}.py", render(MODEL, **values))
        writer.write(f"{base}/{resource}/__init__.py", render(BLUEPRINT_INIT, **values))
        writer.write(f"{base}/{resource}/views.py", render(VIEWS, extra_views=extra, **values))
        writer.write(f"{base}/{resource}/api.py", render(API, **values))
        writer.write(f"{base}/{resource}/forms.py", render(FORMS, **values))
        writer.write(f"{base}/{resource}/services.py", render(SERVICES, **values))
        writer.write(f"{base}/templates/{resource}/index.html", render(TEMPLATE_INDEX, **values))
        writer.write(f"{base}/templates/{resource}/detail.html", render(TEMPLATE_DETAIL, **values))
        writer.write(f"{base}/templates/{resource}/form.html", render(TEMPLATE_FORM, **values))
        writer.write(f"{app}/tests/test_{resource}.py", render(TESTS, **values))
    writer.write(f"{app}/wsgi.py", render(WSGI, app=app))
    writer.write(f"{app}/manage.py", render(MANAGE if index % 5 == 2 else MANAGE_SAFE, app=app, APP_UPPER=upper))


def generate_corpus(dest: Path, min_lines: int = 32_000, seed: int = SEED) -> int:
    """Write applications under ``dest`` until they hold ``min_lines`` lines of Python."""
    rng = random.Random(seed)
    writer = Writer(dest)
    round_number = 0
    while writer.python_lines < min_lines:
        for index, (app, resources) in enumerate(APPS):
            name = app if round_number == 0 else f"{app}{round_number + 1}"
            write_app(writer, rng, index + round_number * len(APPS), name, resources)
            if writer.python_lines >= min_lines:
                break
        round_number += 1
    return writer.python_lines


MODULE_HEADER = '''
"""One large Flask module: $lines lines of blueprints, views and helpers."""

import os

from flask import Blueprint, Flask, abort, flash, jsonify, redirect, render_template, request, url_for

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY")
'''

MODULE_BLOCK = '''

$resource = Blueprint("$resource", __name__, url_prefix="/$resources")
${RESOURCE}_STORE = {}


def _${resource}_or_404(item_id):
    item = ${RESOURCE}_STORE.get(item_id)
    if item is None:
        abort(404)
    return item


@$resource.route("/")
def ${resource}_index():
    page = request.args.get("page", 1, type=int)
    items = sorted(${RESOURCE}_STORE.values(), key=lambda item: item["id"])
    return render_template("$resource/index.html", items=items[(page - 1) * 20:page * 20], page=page)


@$resource.route("/<int:item_id>")
def ${resource}_detail(item_id):
    return render_template("$resource/detail.html", item=_${resource}_or_404(item_id))


@$resource.route("/new", methods=["GET", "POST"])
def ${resource}_create():
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        if not name:
            flash("A name is required.")
            return render_template("$resource/form.html"), 400
        item_id = len(${RESOURCE}_STORE) + 1
        ${RESOURCE}_STORE[item_id] = {"id": item_id, "name": name}
        return redirect(url_for("$resource.${resource}_detail", item_id=item_id))
    return render_template("$resource/form.html")


@$resource.get("/api/<int:item_id>")
def ${resource}_api(item_id):
    return jsonify(_${resource}_or_404(item_id))


def ${resource}_summary(items):
    total = 0
    names = []
    for item in items:
        total += len(item.get("name", ""))
        names.append(item.get("name", "").title())
    return {"count": len(names), "characters": total, "names": names}


app.register_blueprint($resource)
'''

MODULE_FOOTER = '''

if __name__ == "__main__":
    app.run()
'''


def generate_module(lines: int) -> str:
    """One Flask module of about ``lines`` lines (at least the header, one block and the footer)."""
    parts = [render(MODULE_HEADER, lines=lines)]
    count = parts[0].count("\n") + MODULE_FOOTER.count("\n")
    number = 0
    while True:
        resource = f"res{number}"
        block = Template(MODULE_BLOCK).substitute(
            resource=resource, resources=f"res{number}s", RESOURCE=resource.upper()
        )
        if number and count + block.count("\n") > lines:
            break
        parts.append(block)
        count += block.count("\n")
        number += 1
    parts.append(MODULE_FOOTER)
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--lines", type=int, default=32_000, help="minimum lines of Python in the corpus")
    parser.add_argument("--module", type=int, help="write one module of about this many lines instead")
    args = parser.parse_args()
    if args.module:
        args.dest.mkdir(parents=True, exist_ok=True)
        path = args.dest / f"flask_module_{args.module}.py"
        path.write_text(generate_module(args.module), encoding="utf-8")
        print(path)
        return
    lines = generate_corpus(args.dest, args.lines)
    print(f"{lines} lines of Python under {args.dest}")


if __name__ == "__main__":
    main()

"""A small shop app with every mistake flake8-flask-safety reports. Do not deploy it."""

import os

from flask import Flask
from werkzeug.debug import DebuggedApplication


def create_app(config_object="shop.config.Config"):
    app = Flask(__name__)
    app.config.from_object(config_object)
    app.secret_key = "a9f3c1e07b2d4f6e8a0c2e4f6a8b0d2c"
    app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://shop:hunter2-prod@db.internal:5432/shop"
    app.config["MAIL_PASSWORD"] = os.environ.get("MAIL_PASSWORD", "Tr0ub4dor-and-3")
    app.config["WTF_CSRF_SECRET_KEY"] = os.urandom(24)
    app.config["DEBUG"] = True

    from .views import bp

    app.register_blueprint(bp)
    app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)
    return app

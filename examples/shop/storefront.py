"""Storefront pages: search, product pages, the sign-in redirect and the order webhook."""

import json

from flask import Blueprint, redirect, render_template, render_template_string, request, url_for
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

storefront = Blueprint("storefront", __name__)
emails = Environment(loader=PackageLoader("shop"))


def price_tag(product):
    return Markup(f"<span class='price'>{product.name}: {product.price}</span>")


@storefront.route("/search")
def search():
    return render_template("search.html", query=request.args.get("q", ""))


@storefront.route("/greeting")
def greeting():
    name = request.args.get("name", "friend")
    return render_template_string("<h1>Hello " + name + "</h1>")


@storefront.route("/hello/<name>")
def hello(name):
    return f"<p>Hello {name}</p>"


@storefront.route("/sign-in")
def sign_in():
    return redirect(request.args.get("next") or url_for("shop.index"))


@storefront.post("/webhooks/orders")
def order_webhook():
    order = json.loads(request.data)
    return {"received": order["id"]}


def order_email(order):
    return emails.get_template("order.html").render(order=order)

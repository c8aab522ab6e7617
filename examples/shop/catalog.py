"""The catalogue pages: routing mistakes."""

from flask import Blueprint, redirect, render_template, request, url_for

catalog = Blueprint("catalog", __name__, url_prefix="/catalog")


@catalog.route("/products/<product_id>")
def product(product_id):
    return render_template("index.html", product=int(product_id))


@catalog.route("/categories/<category_id>")
def category(slug):
    return render_template("index.html", category=slug)


@catalog.route("/search")
def search():
    if request.args.get("q"):
        return render_template("index.html", query=request.args["q"])


@catalog.route("/cart")
def cart():
    if "cart" not in request.cookies:
        return redirect("/login")
    return render_template("index.html")


@catalog.route("/basket")
def cart():  # noqa: F811
    return redirect(url_for(".cart"))

"""Order pages: HTTP methods and Post/Redirect/Get."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
orders = Blueprint("orders", __name__, url_prefix="/orders")


class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    item = db.Column(db.String(80))


@orders.route("/checkout")
def checkout():
    address = request.form.get("address")
    return render_template("checkout.html", address=address)


@orders.route("/<int:order_id>/cancel")
def cancel(order_id):
    if request.method == "POST":
        return redirect(url_for("orders.history"))
    Order.query.filter_by(id=order_id).delete()
    db.session.commit()
    return redirect(url_for("orders.history"))


@orders.route("/returns", methods="POST")
def returns():
    return render_template("returns.html")


@orders.route("/new", methods=["GET", "POST"])
def new_order():
    if request.method == "POST":
        db.session.add(Order(item=request.form["item"]))
        db.session.commit()
        flash("Order placed")
        return render_template("order_placed.html")
    return render_template("new_order.html")


@orders.route("/history")
def history():
    return render_template("history.html")

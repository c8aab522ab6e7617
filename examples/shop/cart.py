"""The shopping cart: state kept in the process, request data read far from the view."""

import threading

from flask import Blueprint, request, session

bp = Blueprint("cart", __name__, url_prefix="/cart")

CARTS = {}
DEFAULT_CURRENCY = request.args.get("currency", "EUR")


def cart_key():
    return session.get("user_id") or request.remote_addr


def send_confirmation(item_id):
    address = request.args.get("email")
    return item_id, address


@bp.route("/add/<int:item_id>", methods=["POST"])
def add(item_id):
    CARTS.setdefault(cart_key(), []).append(item_id)
    threading.Thread(target=send_confirmation, args=(item_id,)).start()
    return "added"

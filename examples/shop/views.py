"""The shop's pages."""

from flask import Blueprint, render_template

bp = Blueprint("shop", __name__)

# Made-up values with the shapes of real credentials, for the demo; none of them was ever valid.
AWS_ACCESS_KEY_ID = "AKIAQ7RZ2MNBX4TLWPVD"
S3_BUCKET = "shop-uploads"
PAYMENT_API_KEY = "pk9Qz7Lw3Xv5Ns1Mb8Jd2"


@bp.route("/")
def index():
    return render_template("index.html", bucket=S3_BUCKET)

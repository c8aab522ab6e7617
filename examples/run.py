"""Starts the shop with the development server: ``python run.py``.

In development, ``flask --app shop run --debug`` does the same without putting debug mode in code.
"""

from shop import create_app

app = create_app()
app.run(host="0.0.0.0", port=5000, debug=True)

"""FKS000: the plugin could not analyse a file. Never raised, always reported."""

MESSAGES = {
    "FKS000": "flake8-flask-safety could not analyse this file: {error}",
}


def internal_failure(error: BaseException) -> str:
    detail = str(error).splitlines()[0] if str(error) else ""
    return "FKS000 " + MESSAGES["FKS000"].format(error=f"{type(error).__name__}: {detail}"[:200])

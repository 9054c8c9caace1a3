"""How a failing side service is named in the log: its error's class and message, never a request's contents."""


def cause(error: BaseException) -> str:
    # Errors from caches, queues and mail servers carry addresses and table names, not form values.
    return f"{type(error).__name__}: {error}"[:300]

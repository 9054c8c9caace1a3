"""How a failing side service is named (in the log, on an email's row): its error's class and message, never a
request's contents."""

import re

# Anything shaped like an email address: a mail server's refusal names the recipient ("<maria@…>: User unknown").
_ADDRESS = re.compile(r"[^\s<>()\[\]{}'\"@,;:][^\s<>()\[\]{}\"@,;:]*@[^\s<>()\[\]{}'\"@,;:]+")


def cause(error: BaseException) -> str:
    # Errors from caches, queues and mail servers carry host names, table names and, from a mail server, the
    # recipient's address, which is left out; never form values.
    return _ADDRESS.sub("[address]", f"{type(error).__name__}: {error}")[:500]

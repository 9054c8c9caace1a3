"""SQL queries and HTML bytes per page, counted in-process with Django's test client.

Run by run.py in a subprocess, with the same environment as the gunicorn site:
`python -m bench.probe PATH [PATH ...]`. Prints one JSON object.
The first request of each page runs with cold caches, the second with warm ones.
"""

import json
import sys

import django


def main(paths: list[str]) -> None:
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    # Django asks the database once per process whether it has JSON (three statements): that is a worker's
    # start-up, not a page's cost, so it is asked before the first page is counted.
    connection.features.supports_json_field  # noqa: B018
    result = {}
    for path in paths:
        counts = []
        for _visit in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts.append(len(queries))
        result[path] = {"status": response.status_code, "queries": counts, "html_bytes": len(response.content)}
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Checks AWS CLI command lines against AWS's own service models (botocore's, as the AWS CLI uses them).

Reads a JSON list of argument vectors on stdin (["aws", "configservice", "put-conformance-pack", "--x", ...])
and prints a JSON list with one entry per command: null when the service, operation and every option exist
in the model with the options the operation requires, else a sentence naming what does not.
"""
import json
import sys

import botocore.session
from botocore import xform_name

# The AWS CLI names a few services differently from their botocore model.
CLI_SERVICE_NAMES = {"configservice": "config", "s3api": "s3"}
# The AWS CLI's global options (aws help: "Global Options"); they take a value unless listed as flags.
GLOBAL_OPTIONS = {"--region", "--query", "--output", "--profile", "--endpoint-url", "--cli-input-json",
                  "--color", "--ca-bundle", "--cli-read-timeout", "--cli-connect-timeout"}
GLOBAL_FLAGS = {"--debug", "--no-verify-ssl", "--no-paginate", "--no-sign-request", "--no-cli-pager"}
# Paginated operations also take the CLI's pagination options.
PAGINATION_OPTIONS = {"--max-items", "--starting-token", "--page-size"}

session = botocore.session.get_session()


def check(argv):
    if len(argv) < 3 or argv[0] != "aws":
        return f"not an AWS CLI command: {' '.join(argv)}"
    service = CLI_SERVICE_NAMES.get(argv[1], argv[1])
    try:
        model = session.get_service_model(service)
    except Exception:
        return f"no AWS service model for the CLI service {argv[1]!r}"
    operations = {xform_name(name, "-"): name for name in model.operation_names}
    if argv[2] not in operations:
        return f"aws {argv[1]} has no command {argv[2]!r}"
    operation = model.operation_model(operations[argv[2]])
    members = operation.input_shape.members if operation.input_shape else {}
    options = {f"--{xform_name(name, '-')}": name for name in members}
    required = set(operation.input_shape.required_members) if operation.input_shape else set()
    given = set()
    for token in argv[3:]:
        if not token.startswith("--"):
            continue
        if token in GLOBAL_OPTIONS or token in GLOBAL_FLAGS or token in PAGINATION_OPTIONS:
            continue
        name = token
        if name not in options and name.startswith("--no-") and f"--{name[5:]}" in options:
            name = f"--{name[5:]}"
        if name not in options:
            return f"aws {argv[1]} {argv[2]} has no option {token}"
        given.add(options[name])
    missing = sorted(required - given)
    if missing:
        return f"aws {argv[1]} {argv[2]} misses required option(s) " + ", ".join(
            f"--{xform_name(m, '-')}" for m in missing)
    return None


print(json.dumps([check(argv) for argv in json.load(sys.stdin)]))

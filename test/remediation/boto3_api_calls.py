"""Lists the AWS APIs a runbook script calls, read from its syntax tree, for the test that the declared list
in remediation/runbook.ts (RUNBOOK_SCRIPTS) matches the Python.

Usage: python3 boto3_api_calls.py <script.py | ->
Prints {"calls": [{"service": str, "api": str}, ...]} (sorted, distinct), or {"refused": str} and exits 1
when the script reaches AWS in a way this reading cannot follow.
Or: python3 boto3_api_calls.py --batch, with a JSON list of sources on stdin: prints the list of those
answers, so the service models are loaded once for many sources.

A client is made only as boto3.client("<service>"), and either bound to a name inside a function or passed
positionally to a function of the module, whose parameter then holds it (also when passed on again). A
client is used only as <client>.<method>(...). The method is mapped to the API name by botocore's own
service model (client.meta.method_to_api_mapping), so a method no model has is refused too. Anything else
that touches boto3 or a client (getattr, a resource, a session, a client stored, returned or passed by
keyword) is refused, so no call escapes the comparison.
"""
import ast
import json
import sys

import boto3

ALLOWED_BOTOCORE_IMPORTS = {"botocore.exceptions"}
# Method-to-API mappings by service, loaded once per process.
MODELS = {}


class RefusedError(Exception):
    pass


def parents_of(tree):
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    return parents


def enclosing_function(node, parents):
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node.name
    return None


def client_service(node):
    """The service of a boto3.client("<service>") call, or None when the node is not one."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "boto3" and node.func.attr == "client"):
        return None
    if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], ast.Constant):
        raise RefusedError(f"line {node.lineno}: boto3.client takes exactly one literal service name here")
    return node.args[0].value


def check_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "boto3" and alias.asname is None:
                    continue
                if alias.name.split(".")[0] in ("boto3", "botocore", "importlib"):
                    raise RefusedError(f"line {node.lineno}: import {alias.name} is not allowed")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] in ("boto3", "importlib") or (
                module.split(".")[0] == "botocore" and module not in ALLOWED_BOTOCORE_IMPORTS
            ):
                raise RefusedError(f"line {node.lineno}: from {module} import ... is not allowed")
        elif isinstance(node, ast.Name) and node.id == "__import__":
            raise RefusedError(f"line {node.lineno}: __import__ is not allowed")


def bind_clients(tree, parents):
    """(function, name) -> service for every name that holds a client, followed through calls."""
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    bindings = {}

    def service_of(node):
        service = client_service(node)
        if service is not None:
            return service
        if isinstance(node, ast.Name):
            return bindings.get((enclosing_function(node, parents), node.id))
        return None

    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            found = []
            if isinstance(node, ast.Assign) and client_service(node.value) is not None:
                if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
                    raise RefusedError(f"line {node.lineno}: a client is bound to one plain name only")
                found.append(((enclosing_function(node, parents), node.targets[0].id), client_service(node.value)))
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions:
                params = functions[node.func.id].args.args
                for index, argument in enumerate(node.args):
                    service = service_of(argument)
                    if service is not None and index < len(params):
                        found.append(((node.func.id, params[index].arg), service))
            for key, service in found:
                if bindings.get(key, service) != service:
                    raise RefusedError(f"{key[1]} in {key[0]} holds clients of two services")
                if key not in bindings:
                    bindings[key] = service
                    changed = True
    return bindings


def is_passed_on(node, parent, bindings, parents):
    """Whether a client name is an argument of a module function call that binds a client parameter."""
    if not (isinstance(parent, ast.Call) and node in parent.args and isinstance(parent.func, ast.Name)):
        return False
    index = parent.args.index(node)
    return any(function == parent.func.id for (function, _name) in bindings) and index >= 0


def api_calls(source):
    tree = ast.parse(source)
    parents = parents_of(tree)
    check_imports(tree)
    bindings = bind_clients(tree, parents)
    models = MODELS
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "boto3" and not isinstance(parents.get(node), ast.Import):
            attribute = parents.get(node)
            if not (isinstance(attribute, ast.Attribute) and client_service(parents.get(attribute)) is not None):
                raise RefusedError(f"line {node.lineno}: boto3 is used other than as boto3.client(\"<service>\")")
        if not isinstance(node, ast.Name):
            continue
        service = bindings.get((enclosing_function(node, parents), node.id))
        if service is None or isinstance(node.ctx, ast.Store):
            continue
        parent = parents.get(node)
        if is_passed_on(node, parent, bindings, parents):
            continue
        if not (isinstance(parent, ast.Attribute) and isinstance(parents.get(parent), ast.Call)
                and parents[parent].func is parent):
            raise RefusedError(f"line {node.lineno}: client {node.id} is used other than as {node.id}.<api>(...)")
        if service not in models:
            models[service] = boto3.client(service, region_name="us-east-1").meta.method_to_api_mapping
        api = models[service].get(parent.attr)
        if api is None:
            raise RefusedError(f"line {node.lineno}: {service} has no method {parent.attr}")
        calls.add((service, api))
    return [{"service": service, "api": api} for service, api in sorted(calls)]


def answer(source):
    try:
        return {"calls": api_calls(source)}
    except RefusedError as error:
        return {"refused": str(error)}


def main():
    path = sys.argv[1]
    if path == "--batch":
        print(json.dumps([answer(source) for source in json.load(sys.stdin)]))
        return
    result = answer(sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read())
    print(json.dumps(result))
    sys.exit(1 if "refused" in result else 0)


if __name__ == "__main__":
    main()

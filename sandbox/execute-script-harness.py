"""Runs one aws:executeScript Python handler for the offline runbook executor.

The script runs for real, with the real boto3 and botocore (so parameter validation against the service
models is botocore's own). Only the transport is replaced, at the client boundary: every call is answered
by the test over stdio (one JSON line out per call, one JSON line back), never sent to AWS.

One process serves any number of runs, one after another, so boto3 is imported once.
Protocol, one JSON object a line:
  in  (starts a run): {"script": str, "handler": str, "payload": object, "region": str}
  out: {"call": {"service": str, "api": str, "params": object}}
  in:  {"response": object} or {"error": {"code": str, "message": str}}
  out (ends the run): {"result": object} or {"raised": {"type": str, "message": str}}
The process ends when its input closes.
"""
import json
import sys
import types

import boto3
import botocore.session
from botocore.awsrequest import AWSResponse

PROTOCOL_OUT = sys.stdout
# Whatever the script prints must not corrupt the protocol.
sys.stdout = sys.stderr


def send(message):
    PROTOCOL_OUT.write(json.dumps(message, default=str) + "\n")
    PROTOCOL_OUT.flush()


def receive():
    line = sys.stdin.readline()
    if not line:
        raise SystemExit(0)
    return json.loads(line)


def remember_params(params, context, **kwargs):
    # before-parameter-build carries the caller's parameters; before-call carries them serialized.
    context["harness_params"] = params


def answer_call(model, context, **kwargs):
    service = model.service_model.endpoint_prefix
    send({"call": {"service": service, "api": model.name, "params": context.get("harness_params", {})}})
    reply = receive()
    if "error" in reply:
        error = reply["error"]
        parsed = {
            "Error": {"Code": error["code"], "Message": error["message"]},
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        return AWSResponse(None, 400, {}, None), parsed
    parsed = dict(reply["response"])
    parsed["ResponseMetadata"] = {"HTTPStatusCode": 200}
    return AWSResponse(None, 200, {}, None), parsed


SHARED = botocore.session.get_session()
SHARED.register("before-parameter-build", remember_params)
SHARED.register("before-call", answer_call)


def run(request):
    # A fresh boto3 session and module per run, so nothing one script did reaches the next; the botocore
    # session underneath is shared only so the service models are parsed once.
    boto3.DEFAULT_SESSION = boto3.Session(
        region_name=request["region"],
        # Obviously fake: no request ever leaves this process.
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        botocore_session=SHARED,
    )
    module = types.ModuleType("runbook_script")
    try:
        exec(compile(request["script"], "<aws:executeScript>", "exec"), module.__dict__)
        handler = module.__dict__.get(request["handler"])
        if not callable(handler):
            raise NameError(f"the script defines no handler {request['handler']}")
        result = handler(request["payload"], None)
    except Exception as error:  # Automation fails the step on any exception; the test sees which.
        send({"raised": {"type": type(error).__name__, "message": str(error)}})
        return
    send({"result": result})


def main():
    while True:
        run(receive())


main()

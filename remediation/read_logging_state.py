"""The handler of the runbook's ReadLoggingState step (aws:executeScript, python3.11).

The runbook's YAML carries this file verbatim as the step's Script (test/remediation/runbook-scripts.test.ts
fails when they differ). Read-only: it checks the parameters, reads the endpoint, the target log group and
that group's KMS key, and decides which changes the later declarative steps make. Any exception fails the
step, and so the execution, before anything is changed. The AWS APIs it calls are declared in
remediation/runbook.ts (RUNBOOK_SCRIPTS), from which the automation role's permissions are derived.
"""
import boto3
from botocore.exceptions import ClientError

# KeyState values (KMS API Reference, KeyMetadata) in which CloudWatch Logs cannot encrypt new events, so
# the Config rule (verifyKmsKeyState, rule/decision.ts) keeps the endpoint NON_COMPLIANT, with the manual
# fix of each: https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
KEY_STATE_FIXES = {
    "Disabled": "enable the key (kms:EnableKey)",
    "PendingDeletion": "cancel the deletion (kms:CancelKeyDeletion), then enable the key (kms:EnableKey)",
    "PendingReplicaDeletion": "cancel the deletion of the primary key (kms:CancelKeyDeletion)",
    "PendingImport": "import the key material (kms:ImportKeyMaterial)",
    "Unavailable": "reconnect the custom key store that holds the key",
}
# Any state not named above, Enabled aside, has no fix of its own.
OTHER_STATE_FIX = "wait until the key is Enabled, or make it Enabled"


def check_parameters(events):
    """Refuses bad parameters before anything is read or changed; returns the parsed parameters."""
    name = events["LogGroupName"]
    prefix = events["LogGroupNamePrefix"]
    key = events["KmsKeyArn"]
    if not prefix:
        raise ValueError("LogGroupNamePrefix is empty: give the managed prefix")
    if not name.startswith(prefix):
        raise ValueError(
            f"LogGroupName {name} does not start with LogGroupNamePrefix {prefix}: "
            "give a LogGroupName inside the prefix"
        )
    own_keys = f"arn:{events['Partition']}:kms:{events['Region']}:{events['AccountId']}:key/"
    if key and not key.startswith(own_keys):
        raise ValueError(
            f"KmsKeyArn {key} is not a key of this account, Region and partition "
            f"(expected {own_keys}...): give a key of the account and Region the endpoint is in"
        )
    return {
        "endpoint_id": events["ClientVpnEndpointId"],
        "name": name,
        "prefix": prefix,
        "retention": int(events["RetentionInDays"]),
        "key": key,
    }


def read_connection_log_options(ec2, endpoint_id):
    """The endpoint's ConnectionLogOptions; raises when EC2 does not return exactly that endpoint."""
    found = ec2.describe_client_vpn_endpoints(ClientVpnEndpointIds=[endpoint_id])
    endpoints = [e for e in found["ClientVpnEndpoints"] if e.get("ClientVpnEndpointId") == endpoint_id]
    if len(endpoints) != 1:
        raise RuntimeError(f"DescribeClientVpnEndpoints did not return endpoint {endpoint_id}")
    return endpoints[0].get("ConnectionLogOptions") or {}


def read_log_group(logs, name):
    """The log group of that exact name, or None when there is none."""
    described = logs.describe_log_groups(logGroupIdentifiers=[name])
    groups = [g for g in described["logGroups"] if g.get("logGroupName") == name]
    return groups[0] if groups else None


def require_usable_key(kms, key, target):
    """Raises, naming the cause and the manual fix, unless the key the target group will use is Enabled.

    A remediation that ends with the group on an unusable key would report success while the rule still
    says NON_COMPLIANT, and automatic remediation would repeat it to its attempt limit: so it fails first.
    """
    try:
        metadata = kms.describe_key(KeyId=key)["KeyMetadata"]
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "an error")
        raise RuntimeError(
            f"the state of KMS key {key}, which {target} uses, could not be read ({code}), so whether "
            "CloudWatch Logs can encrypt with it is unknown. Nothing was changed. Manual fix: allow the "
            "automation role kms:DescribeKey on the key (in its key policy too), or associate a key of "
            "this account and Region that is Enabled, then run the remediation again"
        ) from error
    state = metadata.get("KeyState")
    if state == "Enabled":
        return
    deletion = metadata.get("DeletionDate")
    when = ""
    if state == "PendingDeletion" and deletion is not None:
        when = f", to be deleted {deletion.isoformat() if hasattr(deletion, 'isoformat') else deletion}"
    fix = KEY_STATE_FIXES.get(state, OTHER_STATE_FIX)
    raise RuntimeError(
        f"KMS key {key}, which {target} uses, is {state}{when}, so CloudWatch Logs cannot encrypt new "
        "events and the Config rule would still find the endpoint NON_COMPLIANT. Nothing was changed. "
        f"Manual fix: {fix}, then run the remediation again"
    )


def plan_new_group(state, target, retention, key):
    """Completes the plan for a target group that does not exist yet."""
    state["CreateLogGroup"] = True
    state["EncryptNewLogGroup"] = bool(key)
    state["ModifyEndpoint"] = True
    state["RetentionOutcome"] = f"created {target} with a retention of {retention} days"
    state["KmsKeyOutcome"] = (
        f"created {target} encrypted with {key}" if key else f"created {target} without a KMS key"
    )
    return state


def plan_existing_group(state, target, group, retention, key):
    """Completes the plan for an existing target group: never lowers a retention, never replaces a key."""
    current_retention = group.get("retentionInDays")
    if current_retention is None:
        state["RetentionOutcome"] = f"{target} never expires; left as it was"
    elif current_retention < retention:
        state["RaiseRetention"] = True
        state["RetentionOutcome"] = f"raised the retention of {target} from {current_retention} to {retention} days"
    else:
        state["RetentionOutcome"] = f"{target} keeps {current_retention} days; left as it was"

    current_key = group.get("kmsKeyId")
    if not key:
        state["KmsKeyOutcome"] = f"no KmsKeyArn given; the key of {target} left as it was ({current_key or 'none'})"
    elif current_key is None:
        state["AssociateKmsKey"] = True
        state["KmsKeyOutcome"] = f"associated {key} with {target}"
    elif current_key == key:
        state["KmsKeyOutcome"] = f"{target} is already encrypted with {key}"
    else:
        state["KmsKeyOutcome"] = (
            f"{target} keeps its key {current_key}; left as it was: "
            f"{key} was not associated, an existing key is never replaced"
        )
    return state


def read_logging_state(events, context):
    """Reads what the changing steps need; raises on bad parameters, on any failed read, and on a key that
    would leave the group unusable."""
    params = check_parameters(events)
    prefix, key = params["prefix"], params["key"]

    options = read_connection_log_options(boto3.client("ec2"), params["endpoint_id"])
    current = options.get("CloudwatchLogGroup") or ""
    # A group outside the prefix is never read or changed: the endpoint is re-pointed instead.
    keeps_current = options.get("Enabled") is True and current.startswith(prefix)
    target = current if keeps_current else params["name"]

    group = read_log_group(boto3.client("logs"), target)
    # The key the group will have after the run: an existing key is kept, else KmsKeyArn is used.
    final_key = (group or {}).get("kmsKeyId") or key
    if final_key:
        require_usable_key(boto3.client("kms"), final_key, target)

    state = {
        "TargetLogGroup": target,
        "CreateLogGroup": False,
        "EncryptNewLogGroup": False,
        "RaiseRetention": False,
        "AssociateKmsKey": False,
        "ModifyEndpoint": not keeps_current,
    }
    if group is None:
        return plan_new_group(state, target, params["retention"], key)
    return plan_existing_group(state, target, group, params["retention"], key)

"""Unit tests of remediation/read_logging_state.py, the runbook's ReadLoggingState handler.

Every AWS call is answered by botocore's Stubber, which also checks each request against the service model;
a call the test did not expect fails the test. Fixtures follow the shapes of DescribeClientVpnEndpoints,
DescribeLogGroups and DescribeKey in the EC2, CloudWatch Logs and KMS API references.
"""
from datetime import datetime, timezone

import boto3
import pytest
from botocore.stub import Stubber

import read_logging_state as handler

ENDPOINT_ID = "cvpn-endpoint-0123456789abcdef0"
ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/0987dcba-09fe-87dc-65ba-ab0987654321"
GROUP = "/aws/clientvpn"


def events(**overrides):
    return {
        "ClientVpnEndpointId": ENDPOINT_ID,
        "LogGroupName": GROUP,
        "LogGroupNamePrefix": GROUP,
        "RetentionInDays": "365",
        "KmsKeyArn": "",
        "AccountId": ACCOUNT_ID,
        "Region": REGION,
        "Partition": "aws",
        **overrides,
    }


def endpoint(options):
    return {"ClientVpnEndpointId": ENDPOINT_ID, "Status": {"Code": "available"}, "ConnectionLogOptions": options}


def log_group(name, **settings):
    return {
        "logGroupName": name,
        "creationTime": 1793956527000,
        "metricFilterCount": 0,
        "arn": f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:{name}:*",
        "storedBytes": 0,
        **settings,
    }


def key_metadata(arn, state, **extra):
    return {
        "KeyMetadata": {
            "AWSAccountId": ACCOUNT_ID,
            "KeyId": arn.split("/")[-1],
            "Arn": arn,
            "Enabled": state == "Enabled",
            "KeyState": state,
            "KeyManager": "CUSTOMER",
            **extra,
        }
    }


class World:
    """Stubbed clients, handed to the handler in place of boto3.client."""

    def __init__(self):
        self.clients = {name: boto3.client(name, region_name=REGION) for name in ("ec2", "logs", "kms")}
        self.stubbers = {name: Stubber(client) for name, client in self.clients.items()}

    def endpoint(self, options):
        self.stubbers["ec2"].add_response(
            "describe_client_vpn_endpoints",
            {"ClientVpnEndpoints": [endpoint(options)]},
            {"ClientVpnEndpointIds": [ENDPOINT_ID]},
        )
        return self

    def groups(self, name, *groups):
        self.stubbers["logs"].add_response(
            "describe_log_groups", {"logGroups": list(groups)}, {"logGroupIdentifiers": [name]}
        )
        return self

    def key(self, arn, state, **extra):
        self.stubbers["kms"].add_response("describe_key", key_metadata(arn, state, **extra), {"KeyId": arn})
        return self

    def key_error(self, arn, code):
        self.stubbers["kms"].add_client_error("describe_key", service_error_code=code, expected_params={"KeyId": arn})
        return self


@pytest.fixture
def world(monkeypatch):
    made = World()
    monkeypatch.setattr(handler.boto3, "client", lambda name, *args, **kwargs: made.clients[name])
    for stubber in made.stubbers.values():
        stubber.activate()
    yield made
    for stubber in made.stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


class TestParameters:
    @pytest.mark.parametrize(
        "overrides, message",
        [
            ({"LogGroupNamePrefix": ""}, "LogGroupNamePrefix is empty"),
            ({"LogGroupName": "/legacy/vpn"}, "LogGroupName /legacy/vpn does not start with LogGroupNamePrefix"),
            (
                {"KmsKeyArn": KEY_ARN.replace(ACCOUNT_ID, "210987654321")},
                "is not a key of this account, Region and partition",
            ),
        ],
    )
    def test_refuses_a_bad_parameter_before_any_call(self, world, overrides, message):
        # Act & Assess (the stubbers hold no response: any call would fail the test)
        with pytest.raises(ValueError, match=message):
            handler.read_logging_state(events(**overrides), None)


class TestPlan:
    def test_creates_the_group_and_points_the_endpoint_at_it_when_logging_is_off_and_no_group_exists(self, world):
        # Prepare
        world.endpoint({"Enabled": False}).groups(GROUP)

        # Act
        state = handler.read_logging_state(events(), None)

        # Assess
        assert state == {
            "TargetLogGroup": GROUP,
            "CreateLogGroup": True,
            "EncryptNewLogGroup": False,
            "RaiseRetention": False,
            "AssociateKmsKey": False,
            "ModifyEndpoint": True,
            "RetentionOutcome": f"created {GROUP} with a retention of 365 days",
            "KmsKeyOutcome": f"created {GROUP} without a KMS key",
        }

    def test_keeps_a_current_group_inside_the_prefix_and_raises_a_shorter_retention(self, world):
        # Prepare
        current = f"{GROUP}/engineering"
        world.endpoint({"Enabled": True, "CloudwatchLogGroup": current}).groups(
            current, log_group(current, retentionInDays=30)
        )

        # Act
        state = handler.read_logging_state(events(), None)

        # Assess
        assert (state["TargetLogGroup"], state["ModifyEndpoint"], state["RaiseRetention"]) == (current, False, True)

    def test_never_reads_a_group_outside_the_prefix_and_re_points_the_endpoint(self, world):
        # Prepare: only LogGroupName is described; a describe of /legacy/vpn would not match the stub.
        world.endpoint({"Enabled": True, "CloudwatchLogGroup": "/legacy/vpn"}).groups(GROUP, log_group(GROUP))

        # Act
        state = handler.read_logging_state(events(), None)

        # Assess
        assert (state["TargetLogGroup"], state["ModifyEndpoint"]) == (GROUP, True)

    @pytest.mark.parametrize(
        "retention, raise_it, outcome",
        [
            (30, True, f"raised the retention of {GROUP} from 30 to 365 days"),
            (365, False, f"{GROUP} keeps 365 days; left as it was"),
            (3653, False, f"{GROUP} keeps 3653 days; left as it was"),
            (None, False, f"{GROUP} never expires; left as it was"),
        ],
    )
    def test_never_lowers_a_retention(self, world, retention, raise_it, outcome):
        # Prepare
        settings = {} if retention is None else {"retentionInDays": retention}
        world.endpoint({"Enabled": True, "CloudwatchLogGroup": GROUP}).groups(GROUP, log_group(GROUP, **settings))

        # Act
        state = handler.read_logging_state(events(), None)

        # Assess
        assert (state["RaiseRetention"], state["RetentionOutcome"]) == (raise_it, outcome)

    def test_keeps_the_key_a_group_has_and_judges_that_key_not_kms_key_arn(self, world):
        # Prepare
        world.endpoint({"Enabled": True, "CloudwatchLogGroup": GROUP}).groups(
            GROUP, log_group(GROUP, retentionInDays=365, kmsKeyId=OTHER_KEY_ARN)
        ).key(OTHER_KEY_ARN, "Enabled")

        # Act
        state = handler.read_logging_state(events(KmsKeyArn=KEY_ARN), None)

        # Assess
        assert state["AssociateKmsKey"] is False
        assert state["KmsKeyOutcome"].startswith(f"{GROUP} keeps its key {OTHER_KEY_ARN}; left as it was")

    def test_associates_an_enabled_kms_key_arn_with_a_group_that_has_none(self, world):
        # Prepare
        world.endpoint({"Enabled": True, "CloudwatchLogGroup": GROUP}).groups(
            GROUP, log_group(GROUP, retentionInDays=365)
        ).key(KEY_ARN, "Enabled")

        # Act
        state = handler.read_logging_state(events(KmsKeyArn=KEY_ARN), None)

        # Assess
        assert (state["AssociateKmsKey"], state["KmsKeyOutcome"]) == (True, f"associated {KEY_ARN} with {GROUP}")


class TestUnusableKey:
    @pytest.mark.parametrize(
        "key_state, extra, fix",
        [
            ("Disabled", {}, "enable the key (kms:EnableKey)"),
            (
                "PendingDeletion",
                {"DeletionDate": datetime(2026, 12, 10, 9, tzinfo=timezone.utc)},
                "cancel the deletion (kms:CancelKeyDeletion), then enable the key (kms:EnableKey)",
            ),
            ("PendingImport", {}, "import the key material (kms:ImportKeyMaterial)"),
            ("Unavailable", {}, "reconnect the custom key store that holds the key"),
            ("Updating", {}, "wait until the key is Enabled, or make it Enabled"),
        ],
    )
    def test_fails_naming_the_state_and_the_manual_fix_when_the_group_keeps_an_unusable_key(
        self, world, key_state, extra, fix
    ):
        # Prepare
        world.endpoint({"Enabled": False}).groups(
            GROUP, log_group(GROUP, retentionInDays=30, kmsKeyId=KEY_ARN)
        ).key(KEY_ARN, key_state, **extra)

        # Act
        with pytest.raises(RuntimeError) as raised:
            handler.read_logging_state(events(), None)

        # Assess
        message = str(raised.value)
        assert f"KMS key {KEY_ARN}, which {GROUP} uses, is {key_state}" in message
        assert "the Config rule would still find the endpoint NON_COMPLIANT" in message
        assert f"Nothing was changed. Manual fix: {fix}, then run the remediation again" in message

    def test_names_the_deletion_date_of_a_key_pending_deletion(self, world):
        # Prepare
        world.endpoint({"Enabled": False}).groups(GROUP, log_group(GROUP, kmsKeyId=KEY_ARN)).key(
            KEY_ARN, "PendingDeletion", DeletionDate=datetime(2026, 12, 10, 9, tzinfo=timezone.utc)
        )

        # Act & Assess
        with pytest.raises(RuntimeError, match=r"is PendingDeletion, to be deleted 2026-12-10T09:00:00\+00:00"):
            handler.read_logging_state(events(), None)

    def test_fails_when_the_key_it_would_create_the_group_with_is_disabled(self, world):
        # Prepare
        world.endpoint({"Enabled": False}).groups(GROUP).key(KEY_ARN, "Disabled")

        # Act & Assess
        with pytest.raises(RuntimeError, match=f"KMS key {KEY_ARN}, which {GROUP} uses, is Disabled"):
            handler.read_logging_state(events(KmsKeyArn=KEY_ARN), None)

    @pytest.mark.parametrize("code", ["AccessDeniedException", "NotFoundException", "KMSInternalException"])
    def test_fails_closed_when_the_key_state_cannot_be_read(self, world, code):
        # Prepare
        world.endpoint({"Enabled": False}).groups(GROUP, log_group(GROUP, kmsKeyId=KEY_ARN)).key_error(KEY_ARN, code)

        # Act & Assess
        with pytest.raises(RuntimeError, match=rf"could not be read \({code}\).*allow the automation role kms:DescribeKey"):
            handler.read_logging_state(events(), None)

    def test_reads_no_key_when_the_group_will_have_none(self, world):
        # Prepare (no KMS response: a DescribeKey call would fail the test)
        world.endpoint({"Enabled": False}).groups(GROUP, log_group(GROUP, retentionInDays=365))

        # Act
        state = handler.read_logging_state(events(), None)

        # Assess
        assert state["KmsKeyOutcome"] == f"no KmsKeyArn given; the key of {GROUP} left as it was (none)"


class TestFailedReads:
    def test_fails_when_ec2_does_not_return_the_endpoint(self, world):
        # Prepare
        world.stubbers["ec2"].add_response(
            "describe_client_vpn_endpoints", {"ClientVpnEndpoints": []}, {"ClientVpnEndpointIds": [ENDPOINT_ID]}
        )

        # Act & Assess
        with pytest.raises(RuntimeError, match=f"did not return endpoint {ENDPOINT_ID}"):
            handler.read_logging_state(events(), None)

    def test_never_takes_a_failed_log_group_read_for_an_absent_group(self, world):
        # Prepare
        world.endpoint({"Enabled": False})
        world.stubbers["logs"].add_client_error("describe_log_groups", service_error_code="AccessDeniedException")

        # Act & Assess
        with pytest.raises(Exception, match="AccessDeniedException"):
            handler.read_logging_state(events(), None)

"""Checks the operations the local cloud adds to moto against the AWS API models that ship
with botocore in moto's own environment: each operation is called through boto3 (whose
request follows the model), and its raw JSON answer is held to the model's output shape.

Usage: python local_cloud_contract.py <endpoint>. Prints one line per operation; exits 1 when
any answer leaves the model. `--self-test` checks that a wrong answer is caught."""

import json
import sys

import boto3
import botocore.session

REGION = "us-east-1"
ACCOUNT = "123456789012"


def violations(shape, value, path="$"):
    """Where `value` leaves `shape`: unknown members, wrong types, values outside an enum."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} where {shape.name} (structure) is expected"]
        found = []
        for key, item in value.items():
            if key not in shape.members:
                found.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                found += violations(shape.members[key], item, f"{path}.{key}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__} where a list is expected"]
        return [v for i, item in enumerate(value) for v in violations(shape.member, item, f"{path}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} where a map is expected"]
        return [v for key, item in value.items() for v in violations(shape.value, item, f"{path}.{key}")]
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: {type(value).__name__} where a string is expected"]
        if shape.enum and value not in shape.enum:
            return [f"{path}: {value!r} is not one of {shape.name}'s values {shape.enum}"]
        return []
    if kind in ("integer", "long"):
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{path}: not an integer"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: not a boolean"]
    if kind == "timestamp":
        return [] if isinstance(value, (int, float, str)) else [f"{path}: not a timestamp"]
    return []


def output_shape(service, operation):
    model = botocore.session.get_session().get_service_model(service)
    return model.operation_model(operation).output_shape


class Recorder:
    """Keeps the raw body of each answer, before boto3 parses (and filters) it."""

    def __init__(self, client):
        self.bodies = {}
        client.meta.events.register("after-call", self.keep)

    def keep(self, http_response, model, **_):
        self.bodies[model.name] = json.loads(http_response.content or b"{}")


def eks_operations(endpoint):
    """The EKS operations the local cloud corrects or adds (src/dev/local-cloud/moto_server.py)."""
    session = dict(region_name=REGION, endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")
    ec2 = boto3.client("ec2", **session)
    eks = boto3.client("eks", **session)
    recorder = Recorder(eks)
    template = ec2.create_launch_template(LaunchTemplateName="contract", LaunchTemplateData={})["LaunchTemplate"]
    role = f"arn:aws:iam::{ACCOUNT}:role/contract"
    eks.create_cluster(name="contract", version="1.31", roleArn=role, resourcesVpcConfig={"subnetIds": []})
    group = eks.create_nodegroup(
        clusterName="contract",
        nodegroupName="contract",
        nodeRole=role,
        subnets=["subnet-contract"],
        launchTemplate={"id": template["LaunchTemplateId"], "version": "1"},
    )["nodegroup"]
    arn = group["nodegroupArn"]
    eks.tag_resource(resourceArn=arn, tags={"contract": "yes"})
    eks.list_tags_for_resource(resourceArn=arn)
    eks.untag_resource(resourceArn=arn, tagKeys=["contract"])
    eks.update_nodegroup_version(
        clusterName="contract",
        nodegroupName="contract",
        version="1.31",
        launchTemplate={"id": template["LaunchTemplateId"], "version": "2"},
    )
    return {"eks": recorder.bodies}


CHECKED = {"eks": ["TagResource", "UntagResource", "ListTagsForResource", "UpdateNodegroupVersion"]}


def main(argv):
    if argv[1:] == ["--self-test"]:
        wrong = {"update": {"status": "Done", "colour": "blue"}}
        found = violations(output_shape("eks", "UpdateNodegroupVersion"), wrong)
        print("\n".join(found))
        return 0 if len(found) == 2 else 1
    failed = False
    answers = eks_operations(argv[1])
    for service, operations in CHECKED.items():
        for operation in operations:
            body = answers[service].get(operation)
            if body is None:
                print(f"{service} {operation}: not called")
                failed = True
                continue
            found = violations(output_shape(service, operation), body)
            print(f"{service} {operation}: " + ("follows the model" if not found else "; ".join(found)))
            failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

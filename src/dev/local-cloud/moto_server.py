"""moto's server with the local cloud's corrections, where moto differs from AWS in a way
lp-infra reads back. Started by the local stack and the tests in place of `moto_server`,
with the same arguments. Each correction names the AWS behaviour it restores."""

import sys
import uuid

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.eks import models as eks
from moto.eks import responses as eks_responses
from moto.eks import urls as eks_urls
from moto.eks.exceptions import InvalidParameterException, ResourceNotFoundException
from moto.secretsmanager import models as secretsmanager
from moto.server import main


def _replicas_keep_their_key() -> None:
    # AWS encrypts a Secrets Manager replica with the KmsKeyId given for its region
    # (ReplicaRegions / AddReplicaRegions) and DescribeSecret in that region reports it;
    # moto 5.2 records every replica under aws/secretsmanager and describes the primary's key.
    create_replicas = secretsmanager.FakeSecret.create_replicas

    def create_replicas_with_keys(self, replica_regions, force_overwrite):
        replicas = create_replicas(self, replica_regions, force_overwrite)
        for replica, config in zip(replicas, replica_regions or []):
            if config.get("KmsKeyId"):
                replica.config["KmsKeyId"] = config["KmsKeyId"]
        return replicas

    secretsmanager.FakeSecret.create_replicas = create_replicas_with_keys

    to_dict = secretsmanager.ReplicaSecret.to_dict

    def replica_to_dict(self):
        described = to_dict(self)
        key = self.config["KmsKeyId"]
        if key != secretsmanager.SecretsManagerBackend.DEFAULT_KMS_KEY_ALIAS:
            described["KmsKeyId"] = key
        else:
            described.pop("KmsKeyId", None)
        return described

    secretsmanager.ReplicaSecret.to_dict = replica_to_dict


def _eks_not_found(message: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(
        clusterName=None, nodegroupName=None, fargateProfileName=None, addonName=None, message=message
    )


def _eks_node_group(backend, cluster_name: str, nodegroup_name: str):
    cluster = backend.clusters.get(cluster_name)
    if cluster is None:
        raise _eks_not_found(eks.CLUSTER_NOT_FOUND_MSG.format(clusterName=cluster_name))
    group = cluster.nodegroups.get(nodegroup_name)
    if group is None:
        raise _eks_not_found(eks.NODEGROUP_NOT_FOUND_MSG.format(nodegroupName=nodegroup_name))
    return cluster, group


def _eks_tags_reach_node_groups() -> None:
    # AWS tags any EKS resource by its ARN (TagResource, UntagResource, ListTagsForResource),
    # node groups included; moto 5.2 finds clusters only and answers NotFound for the rest.
    def tagged(backend, arn: str, operation: str):
        for cluster in backend.clusters.values():
            if cluster.arn == arn:
                return cluster
            for group in cluster.nodegroups.values():
                if group.arn == arn:
                    return group
        raise _eks_not_found(
            f"An error occurred (NotFoundException) when calling the {operation} operation: "
            "Resource was not found"
        )

    def tag_resource(self, resource_arn, tags):
        resource = tagged(self, resource_arn, "TagResource")
        resource.tags = {**(resource.tags or {}), **tags}

    def untag_resource(self, resource_arn, tag_keys):
        resource = tagged(self, resource_arn, "UntagResource")
        keys = tag_keys if isinstance(tag_keys, list) else [tag_keys]
        resource.tags = {k: v for k, v in (resource.tags or {}).items() if k not in keys}

    def list_tags_for_resource(self, resource_arn):
        return tagged(self, resource_arn, "ListTagsForResource").tags or {}

    eks.EKSBackend.tag_resource = tag_resource
    eks.EKSBackend.untag_resource = untag_resource
    eks.EKSBackend.list_tags_for_resource = list_tags_for_resource


def _eks_node_groups_roll_to_a_new_version() -> None:
    # AWS's UpdateNodegroupVersion moves a node group to a Kubernetes version (never past the
    # cluster's), a release version or another version of its own launch template; moto 5.2
    # has no such operation. The update completes at once, as moto's UpdateNodegroupConfig does.
    def version_of(text: str):
        return tuple(int(part) for part in text.split(".")[:2])

    def update_nodegroup_version(self, cluster_name, nodegroup_name, version, release_version, launch_template):
        cluster, group = _eks_node_group(self, cluster_name, nodegroup_name)
        if version and version_of(version) > version_of(cluster.version):
            raise InvalidParameterException(
                clusterName=cluster_name,
                nodegroupName=nodegroup_name,
                message=f"Requested Nodegroup version {version} is newer than the cluster's version {cluster.version}.",
            )
        params = []
        if launch_template:
            current = group.launch_template or {}
            if not current:
                raise InvalidParameterException(
                    clusterName=cluster_name,
                    nodegroupName=nodegroup_name,
                    message="The node group was not created with a launch template.",
                )
            for key in ("id", "name"):
                if key in launch_template and launch_template[key] != current.get(key):
                    raise InvalidParameterException(
                        clusterName=cluster_name,
                        nodegroupName=nodegroup_name,
                        message=f"Launch template {key} {launch_template[key]} is not the node group's ({current.get(key)}).",
                    )
            if launch_template.get("version"):
                current["version"] = launch_template["version"]
                params.append({"type": "LaunchTemplateVersion", "value": launch_template["version"]})
        if version:
            group.version = version
            params.append({"type": "Version", "value": version})
        if release_version:
            group.release_version = release_version
            params.append({"type": "ReleaseVersion", "value": release_version})
        group.modified_at = utcnow()
        return {
            "id": str(uuid.uuid4()),
            "status": "Successful",
            "type": "VersionUpdate",
            "params": params,
            "createdAt": utcnow(),
            "errors": [],
        }

    def respond(self):
        update = self.eks_backend.update_nodegroup_version(
            cluster_name=self._get_param("name"),
            nodegroup_name=self._get_param("nodegroupName"),
            version=self._get_param("version"),
            release_version=self._get_param("releaseVersion"),
            launch_template=self._get_param("launchTemplate"),
        )
        return ActionResult({"update": update})

    eks.EKSBackend.update_nodegroup_version = update_nodegroup_version
    eks_responses.EKSResponse.update_nodegroup_version = respond
    eks_urls.url_paths[
        "{0}/clusters/(?P<name>[^/]+)/node-groups/(?P<nodegroupName>[^/]+)/update-version$"
    ] = eks_urls.response.dispatch


_replicas_keep_their_key()
_eks_tags_reach_node_groups()
_eks_node_groups_roll_to_a_new_version()

if __name__ == "__main__":
    sys.exit(main())

"""moto's server with the local cloud's corrections, where moto differs from AWS in a way
lp-infra reads back. Started by the local stack and the tests in place of `moto_server`,
with the same arguments. Each correction names the AWS behaviour it restores."""

import sys

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


_replicas_keep_their_key()

if __name__ == "__main__":
    sys.exit(main())

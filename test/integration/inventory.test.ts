/**
 * The inventory against moto: network, kms and storage of environments/local.yaml are
 * applied through their drivers; the inventory lists exactly what they made, under the
 * right components, and nothing of another environment or untagged; after the drivers'
 * destroy it is empty. The CLI prints the same inventory and says when AWS is unreachable.
 * The provider process loads dist/: run `npm run build` first.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateVpcCommand, DescribeTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import type { ComponentOutputs } from '../../src/infra/components/contract';
import { ExitCode } from '../../src/cli/exit-codes';
import { awsClient } from '../../src/infra/aws/clients';
import { awsInventory, awsInventoryReport } from '../../src/infra/aws/inventory';
import { countBy, type InventoryItem } from '../../src/infra/aws/inventory-report';
import { projectRoot } from '../../src/infra/toolchain';
import { ownershipTags, toAwsTags } from '../../src/infra/aws/tags';
import {
  driver,
  localSpec,
  requestFor,
  silentProgress,
  startCloud,
  type CloudFixture,
} from '../helpers/components';

jest.setTimeout(300_000);

const spec = localSpec();
const environment = spec.name;
const regions = ['us-east-1', 'us-west-2'];
const applied = ['network', 'kms', 'storage'];

let cloud: CloudFixture;
const outputs: Record<string, ComponentOutputs> = {};
const request = (id: string) => requestFor(spec, id, outputs);

/** What moto does not implement: said in the result, not thrown. */
const notEmulated = regions.map((region) =>
  expect.stringMatching(
    new RegExp(`^ElastiCache parameter groups in ${region}: not implemented by the endpoint`),
  ),
);

const kinds = (items: InventoryItem[]) =>
  countBy(items, (i) => `${i.component} ${i.region} ${i.service} ${i.type}`);

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(projectRoot, 'dist', 'client.js'), ...args],
      { env: { ...process.env, ...env }, timeout: 120_000 },
    );
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  cloud = await startCloud();
  for (const id of applied) {
    outputs[id] = (await driver(request(id)).apply(request(id), silentProgress)).outputs;
  }
  // What must not be listed: another environment's resources and untagged ones.
  const ec2 = awsClient(EC2Client, 'us-east-1');
  await ec2.send(
    new CreateVpcCommand({
      CidrBlock: '10.9.0.0/16',
      TagSpecifications: [{ ResourceType: 'vpc', Tags: toAwsTags(ownershipTags('other', 'network')) }],
    }),
  );
  await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }));
  await awsClient(KMSClient, 'us-west-2').send(
    new CreateKeyCommand({
      Tags: Object.entries(ownershipTags('other', 'secondary/kms')).map(([TagKey, TagValue]) => ({
        TagKey,
        TagValue,
      })),
    }),
  );
  const s3 = awsClient(S3Client, 'us-east-1');
  await s3.send(new CreateBucketCommand({ Bucket: 'someone-elses-bucket' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'another-environments-bucket' }));
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: 'another-environments-bucket',
      Tagging: { TagSet: toAwsTags(ownershipTags('other', 'storage')) },
    }),
  );
});

afterAll(async () => {
  await cloud?.stop();
});

describe('the inventory of an environment, by its ownership tags', () => {
  test('lists exactly what network, kms and storage made, under their components', async () => {
    const report = await awsInventoryReport(environment, regions);
    expect(report.warnings).toEqual(notEmulated);
    const zones = spec.network.availabilityZones.length;
    const keys = spec.kms.keys.filter((k) => k.region === 'primary');
    expect(zones).toBe(3);
    expect(kinds(report.items)).toEqual({
      'network us-east-1 ec2 vpc': 1,
      'network us-east-1 ec2 subnet': 2 * zones,
      'network us-east-1 ec2 internet-gateway': 1,
      'network us-east-1 ec2 natgateway': zones,
      'network us-east-1 ec2 elastic-ip': zones,
      'network us-east-1 ec2 route-table': 1 + zones,
      'network us-east-1 ec2 security-group': expect.any(Number),
      'kms us-east-1 kms key': keys.length,
      'kms us-east-1 kms alias': keys.length,
      'storage us-east-1 s3 bucket': 1,
    });
    const ids = (type: string) => report.items.filter((i) => i.type === type).map((i) => i.id);
    expect(ids('vpc')).toEqual([outputs.network.vpcId]);
    expect(ids('subnet').sort()).toEqual(
      [
        ...(outputs.network.publicSubnetIds as string[]),
        ...(outputs.network.privateSubnetIds as string[]),
      ].sort(),
    );
    expect(ids('bucket')).toEqual([outputs.storage.bucketName]);
    expect(ids('alias').sort()).toEqual(keys.map((k) => `alias/${k.alias}`).sort());
    expect(ids('key').sort()).toEqual(
      keys.map((k) => String(outputs.kms[`key:${k.alias}`]).split('/')[1]).sort(),
    );
    // Every security group the network made, and only those (the VPC's default group is not tagged).
    const groups = await awsClient(EC2Client, 'us-east-1').send(
      new DescribeTagsCommand({
        Filters: [
          { Name: 'resource-type', Values: ['security-group'] },
          { Name: 'key', Values: ['lp-infra:environment'] },
          { Name: 'value', Values: [environment] },
        ],
      }),
    );
    expect(ids('security-group').sort()).toEqual((groups.Tags ?? []).map((t) => t.ResourceId).sort());
    expect(ids('security-group').length).toBeGreaterThan(0);
  });

  test("another environment's resources are listed under it, not here", async () => {
    const other = await awsInventory('other', regions);
    expect(kinds(other)).toEqual({
      'network us-east-1 ec2 vpc': 1,
      'secondary/kms us-west-2 kms key': 1,
      'storage us-east-1 s3 bucket': 1,
    });
    expect(await awsInventory('nobody', regions)).toEqual([]);
  });

  test('the CLI prints the same inventory, as JSON and for people; exit 4 when AWS does not answer', async () => {
    const env = { LP_INFRA_AWS_ENDPOINT: cloud.moto.endpoint };
    const json = await cli(['inventory', environment, '--regions', regions.join(','), '--json'], env);
    expect(json.code).toBe(ExitCode.ok);
    const printed = JSON.parse(json.stdout) as { items: InventoryItem[]; warnings: string[] };
    expect(printed.items).toEqual(await awsInventory(environment, regions));
    expect(printed.warnings).toEqual(notEmulated);

    const text = await cli(['inventory', environment, '--regions', regions.join(',')], env);
    expect(text.code).toBe(ExitCode.ok);
    expect(text.stdout).toContain(`resources tagged lp-infra:environment=${environment}`);
    expect(text.stdout).toMatch(/^network \(\d+: /m);
    expect(text.stdout).toContain(String(outputs.storage.bucketName));

    const down = await cli(['inventory', environment, '--regions', 'us-east-1'], {
      LP_INFRA_AWS_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(down.code).toBe(ExitCode.unavailable);
    expect(down.stderr).toContain('AWS');
  });

  test("after the drivers' destroy the inventory is empty", async () => {
    for (const id of [...applied].reverse()) {
      await driver(request(id)).destroy(request(id), silentProgress);
    }
    const report = await awsInventoryReport(environment, regions);
    expect(report.items).toEqual([]);
    expect(report.warnings).toEqual(notEmulated);
  });
});

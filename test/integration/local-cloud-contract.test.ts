/**
 * The operations the local cloud adds to moto or corrects (src/dev/local-cloud/moto_server.py)
 * answer as the AWS API models say: test/helpers/local_cloud_contract.py calls each through
 * boto3 and holds its raw answer to the output shape in botocore's model (the one that ships
 * in moto's own environment).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { toolPath, projectRoot } from '../../src/infra/toolchain';
import { startMoto, type Moto } from '../helpers/servers';

const run = promisify(execFile);
const python = path.join(path.dirname(toolPath('motoServer')), 'python3');
const contract = path.join(projectRoot, 'test', 'helpers', 'local_cloud_contract.py');
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
}, 60_000);
afterAll(() => moto?.stop());

test('every operation the local cloud adds to moto answers in the shape of the AWS API model', async () => {
  const { stdout } = await run(python, [contract, moto.endpoint]);
  const lines = stdout.trim().split('\n');
  expect(lines).toEqual([
    'eks TagResource: follows the model',
    'eks UntagResource: follows the model',
    'eks ListTagsForResource: follows the model',
    'eks UpdateNodegroupVersion: follows the model',
  ]);
}, 60_000);

test('the check finds an answer that leaves the model: an unknown member, a value outside an enum', async () => {
  const { stdout } = await run(python, [contract, '--self-test']);
  expect(stdout).toMatch(/\$\.update\.status: 'Done' is not one of UpdateStatus's values/);
  expect(stdout).toMatch(/\$\.update\.colour: not a member of Update/);
});

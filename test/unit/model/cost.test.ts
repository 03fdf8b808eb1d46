/** The monthly cost estimate and the shipped tables behind it. */
import { componentGraph, estimateMonthlyCost } from '../../../src/model';
import { instanceTypeTable, knownTypes } from '../../../src/model/data/instance-types';
import { priceTable } from '../../../src/model/data/prices';
import { eksVersionTable } from '../../../src/model/data/eks-versions';
import { s3StorageClassTable } from '../../../src/model/data/s3-storage-classes';
import { testDay, validReference } from './helpers';

const spec = validReference();
const cost = estimateMonthlyCost(spec, { today: testDay });
const lineFor = (component: string, item: RegExp) =>
  cost.lines.find((l) => l.component === component && item.test(l.item));

test('prices the reference from the table', () => {
  expect(lineFor('database', /3 x db\.r6g\.xlarge/)?.monthlyUsd).toBeCloseTo(3 * 0.519 * 730, 2);
  expect(lineFor('cache', /6 x cache\.r6g\.xlarge/)?.monthlyUsd).toBeCloseTo(6 * 0.411 * 730, 2);
  expect(lineFor('node-groups', /application-nodes: 10 x c5\.xlarge \(Spot\)/)?.monthlyUsd).toBeCloseTo(
    10 * 0.17 * 0.5 * 730,
    2,
  );
  expect(lineFor('node-groups', /system-nodes: 3 x 100 GiB gp3/)?.monthlyUsd).toBeCloseTo(24, 2);
  expect(lineFor('secondary/node-groups', /system-nodes: 2 x t3\.large/)?.quantity).toBe(2 * 730);
  expect(lineFor('network', /NAT/)?.quantity).toBe(3 * 730);
  expect(lineFor('monitoring', /Prometheus/)?.quantity).toBe(4 * 100);
});

test('bills the EKS control plane at the extended-support rate once standard support ended', () => {
  expect(lineFor('cluster', /EKS/)?.unitPriceUsd).toBe(priceTable.eksExtendedSupportClusterHour);
  const inSupport = estimateMonthlyCost(
    { ...spec, cluster: { ...spec.cluster, kubernetesVersion: '1.35' } },
    { today: testDay },
  );
  expect(inSupport.lines.find((l) => l.component === 'cluster')?.unitPriceUsd).toBe(
    priceTable.eksClusterHour,
  );
});

test('totals add up, per component and overall', () => {
  const sum = cost.lines.reduce((total, l) => total + l.monthlyUsd, 0);
  expect(cost.totalMonthlyUsd).toBeCloseTo(sum, 2);
  expect(Object.values(cost.byComponent).reduce((a, b) => a + b, 0)).toBeCloseTo(cost.totalMonthlyUsd, 1);
  expect(cost.totalMonthlyUsd).toBeGreaterThan(5000);
});

test('every line belongs to a component of the graph', () => {
  const ids = new Set(componentGraph(spec).map((n) => n.id));
  for (const line of cost.lines) expect(ids).toContain(line.component);
});

test('says where its prices come from, and what it leaves out', () => {
  expect(cost.source).toMatch(/aws\.amazon\.com/);
  expect(cost.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(cost.notIncluded.join(' ')).toMatch(/data transfer/);
  expect(estimateMonthlyCost({ ...spec, emulated: true }, { today: testDay }).assumptions.join(' ')).toMatch(
    /nothing is billed/,
  );
});

test('every known instance type has a price, and every table names its source and date', () => {
  for (const type of knownTypes('ec2')) expect(priceTable.ec2Hourly[type]).toBeGreaterThan(0);
  for (const type of knownTypes('rds').filter((t) => t !== 'db.serverless'))
    expect(priceTable.rdsHourly[type]).toBeGreaterThan(0);
  for (const type of knownTypes('elasticache')) expect(priceTable.elasticacheHourly[type]).toBeGreaterThan(0);
  for (const table of [instanceTypeTable, priceTable, eksVersionTable, s3StorageClassTable]) {
    expect(table.source.length).toBeGreaterThan(20);
    expect(table.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
});

import type { PathSegment } from '../paths';
import type { EnvironmentSpec } from '../schema';
import { parseWindow, windowsOverlap } from '../values/windows';
import { defineRule, type Violation } from './rule';

interface WindowPair {
  service: string;
  backup: { path: PathSegment[]; text: string; minimumMinutes: number };
  maintenance: { path: PathSegment[]; text: string; minimumMinutes: number };
}

/** The windows AWS asks for, with the minimum length each service accepts. */
function windowPairs(spec: Pick<EnvironmentSpec, 'database' | 'cache'>): WindowPair[] {
  return [
    {
      service: 'Aurora',
      backup: {
        path: ['database', 'backup', 'window'],
        text: spec.database.backup.window,
        minimumMinutes: 30,
      },
      maintenance: {
        path: ['database', 'maintenanceWindow'],
        text: spec.database.maintenanceWindow,
        minimumMinutes: 30,
      },
    },
    {
      service: 'ElastiCache',
      backup: { path: ['cache', 'snapshot', 'window'], text: spec.cache.snapshot.window, minimumMinutes: 60 },
      maintenance: {
        path: ['cache', 'maintenanceWindow'],
        text: spec.cache.maintenanceWindow,
        minimumMinutes: 60,
      },
    },
  ];
}

function lengthViolation(service: string, window: WindowPair['backup']): Violation[] {
  const parsed = parseWindow(window.text);
  if (!parsed) return [];
  if (parsed.durationMinutes === 0)
    return [
      { path: window.path, value: window.text, message: 'the window starts and ends at the same time' },
    ];
  return parsed.durationMinutes < window.minimumMinutes
    ? [
        {
          path: window.path,
          value: window.text,
          message: `${service} needs a window of at least ${window.minimumMinutes} minutes (this one is ${parsed.durationMinutes})`,
        },
      ]
    : [];
}

export const windowRules = [
  defineRule({
    id: 'maintenance-windows',
    description:
      'Backup/snapshot and maintenance windows are long enough for the service (Aurora 30 min, ElastiCache 60 min) ' +
      'and do not overlap each other.',
    reads: ['database', 'cache'],
    check: (spec) =>
      windowPairs(spec).flatMap(({ service, backup, maintenance }) => {
        const violations = [...lengthViolation(service, backup), ...lengthViolation(service, maintenance)];
        const a = parseWindow(backup.text);
        const b = parseWindow(maintenance.text);
        if (a && b && windowsOverlap(a, b)) {
          violations.push({
            path: maintenance.path,
            value: maintenance.text,
            message: `overlaps the ${service} backup window ${backup.text} (UTC); move one of them`,
          });
        }
        return violations;
      }),
  }),
];

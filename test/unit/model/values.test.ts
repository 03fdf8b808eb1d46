/** The value parsers rules rely on: CIDRs, windows, durations, quantities. */
import fc from 'fast-check';
import { contains, overlaps, parseCidr, type Ipv4Block } from '../../../src/model/values/cidr';
import { goDurationSeconds, prometheusDurationSeconds } from '../../../src/model/values/durations';
import { quantityValue } from '../../../src/model/values/quantities';
import { parseWindow, windowsOverlap } from '../../../src/model/values/windows';

const block = (text: string) => parseCidr(text) as Ipv4Block;

describe('CIDR', () => {
  test('contains and overlaps', () => {
    expect(contains(block('10.0.0.0/16'), block('10.0.32.0/19'))).toBe(true);
    expect(contains(block('10.0.0.0/16'), block('10.1.0.0/19'))).toBe(false);
    expect(contains(block('10.0.32.0/19'), block('10.0.0.0/16'))).toBe(false);
    expect(overlaps(block('10.0.0.0/19'), block('10.0.16.0/20'))).toBe(true);
    expect(overlaps(block('10.0.0.0/19'), block('10.0.32.0/19'))).toBe(false);
    expect(contains(block('0.0.0.0/0'), block('255.255.255.255/32'))).toBe(true);
  });

  test('rejects malformed blocks with a reason', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ network: 0x0a000000, prefixLength: 16 });
    expect(parseCidr('256.0.0.0/8')).toMatch(/0-255/);
    expect(parseCidr('10.0.0.0/33')).toMatch(/0-32/);
    expect(parseCidr('10.0.0.5/30')).toMatch(/10\.0\.0\.4\/30/);
    expect(parseCidr('10.0.0/16')).toMatch(/IPv4 CIDR/);
  });

  test('a block always contains its own sub-blocks (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 32 }),
        (address, a, b) => {
          const [outer, inner] = [Math.min(a, b), Math.max(a, b)];
          const text = (prefix: number) => {
            const network = prefix === 0 ? 0 : (address & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
            return `${[24, 16, 8, 0].map((s) => (network >>> s) & 255).join('.')}/${prefix}`;
          };
          expect(contains(block(text(outer)), block(text(inner)))).toBe(true);
          expect(overlaps(block(text(inner)), block(text(outer)))).toBe(true);
        },
      ),
    );
  });
});

describe('maintenance windows', () => {
  const w = (text: string) => {
    const parsed = parseWindow(text);
    if (!parsed) throw new Error(text);
    return parsed;
  };

  test('lengths, across midnight and across the week', () => {
    expect(w('03:00-04:00').durationMinutes).toBe(60);
    expect(w('23:30-00:30').durationMinutes).toBe(60);
    expect(w('sun:04:00-sun:05:00').durationMinutes).toBe(60);
    expect(w('sun:23:00-mon:01:00').durationMinutes).toBe(120);
    expect(parseWindow('24:00-01:00')).toBeUndefined();
  });

  test('touching windows do not overlap; shared minutes do', () => {
    expect(windowsOverlap(w('03:00-04:00'), w('sun:04:00-sun:05:00'))).toBe(false);
    expect(windowsOverlap(w('03:00-05:00'), w('sun:05:00-sun:07:00'))).toBe(false);
    expect(windowsOverlap(w('04:30-05:30'), w('sun:04:00-sun:05:00'))).toBe(true);
    expect(windowsOverlap(w('23:30-00:30'), w('mon:00:00-mon:01:00'))).toBe(true);
    expect(windowsOverlap(w('sun:23:30-mon:00:30'), w('mon:00:00-mon:00:45'))).toBe(true);
    expect(windowsOverlap(w('tue:01:00-tue:02:00'), w('wed:01:00-wed:02:00'))).toBe(false);
  });

  test('overlap is symmetric (property)', () => {
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const day = fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun');
    fc.assert(
      fc.property(hhmm, hhmm, day, hhmm, day, hhmm, (a, b, d1, c, d2, d) => {
        const daily = w(`${a}-${b}`);
        const weekly = w(`${d1}:${c}-${d2}:${d}`);
        expect(windowsOverlap(daily, weekly)).toBe(windowsOverlap(weekly, daily));
      }),
    );
  });
});

test('durations and quantities', () => {
  expect(goDurationSeconds('30s')).toBe(30);
  expect(goDurationSeconds('1h30m')).toBe(5400);
  expect(goDurationSeconds('500ms')).toBe(0.5);
  expect(goDurationSeconds('30 s')).toBeUndefined();
  expect(prometheusDurationSeconds('30d')).toBe(30 * 86400);
  expect(quantityValue('250m')).toBe(0.25);
  expect(quantityValue('1Gi')).toBe(2 ** 30);
  expect(quantityValue('512Mi')! < quantityValue('1Gi')!).toBe(true);
  expect(quantityValue('1GB')).toBeUndefined();
});

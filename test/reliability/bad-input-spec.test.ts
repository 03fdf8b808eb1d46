/**
 * Bad input, spec side: property-based mutations of environments/local.yaml (wrong types,
 * unknown and secret keys, oversized values, corrupted and hostile YAML). Every mutation is
 * either a valid spec or a SpecError whose issues name the field (or the line) and say what
 * is wrong; nothing else may escape (no TypeError, no stack overflow, no hang).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { projectRoot } from '../../src/infra/toolchain';
import { parseSpec, resolveSpecDocument, SpecError, validateSpec } from '../../src/model';
import { formatPath } from '../../src/model/paths';
import { trials } from './trials';

const environments = path.join(projectRoot, 'environments');
const localPath = path.join(environments, 'local.yaml');
const localText = readFileSync(localPath, 'utf8');
/** local.yaml with `extends` applied: the whole document, every field present. */
const base = resolveSpecDocument(localText, localPath) as Record<string, unknown>;
const { runs, seed } = trials('bad input (spec)', { fast: 100, long: 3000 });

type Segment = string | number;
interface Leaf {
  path: Segment[];
  value: unknown;
}

function leaves(value: unknown, at: Segment[] = []): Leaf[] {
  if (Array.isArray(value)) return [{ path: at, value }, ...value.flatMap((v, i) => leaves(v, [...at, i]))];
  if (value !== null && typeof value === 'object')
    return [
      ...(at.length ? [{ path: at, value }] : []),
      ...Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k])),
    ];
  return [{ path: at, value }];
}

const allLeaves = leaves(base);
const scalarLeaves = allLeaves.filter((l) => l.value === null || typeof l.value !== 'object');
const objectLeaves = allLeaves.filter(
  (l) => l.value !== null && typeof l.value === 'object' && !Array.isArray(l.value),
);

function withValue(doc: unknown, at: Segment[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const segment of at.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

/** Fields that take a number or a name by design (ports, surge counts, Redis parameters). */
const numberOrName = /(^|\.)(parameters\.[^.]+|port|targetPort|maxSurge|maxUnavailable)$/;

/** A value of a different JSON type than the leaf's (both string and number count as one type where the field takes either). */
function wrongTypeFor(leaf: Leaf): fc.Arbitrary<unknown> {
  const { value } = leaf;
  const either = numberOrName.test(formatPath(leaf.path));
  const kinds: fc.Arbitrary<unknown>[] = [];
  if (typeof value !== 'string' && !either) kinds.push(fc.string({ maxLength: 12 }));
  if (typeof value !== 'number' && !either) kinds.push(fc.oneof(fc.integer(), fc.double({ noNaN: true })));
  if (typeof value !== 'boolean') kinds.push(fc.boolean());
  if (!Array.isArray(value)) kinds.push(fc.array(fc.integer(), { maxLength: 3 }));
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    kinds.push(fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
  return fc.oneof(...kinds);
}

/** Outcome of a spec attempt: valid, or the SpecError (anything else fails the property). */
function attempt(run: () => unknown): SpecError | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw new Error(`not a SpecError: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

/** Every issue names where (a field path or a line) and says what is wrong; the message says nothing was contacted. */
function expectClear(error: SpecError) {
  expect(error.issues.length).toBeGreaterThan(0);
  expect(error.message).toContain('nothing was contacted');
  for (const issue of error.issues) {
    expect(issue.message.trim().length).toBeGreaterThan(3);
    expect(issue.rule).toBeTruthy();
    if (issue.rule === 'yaml-syntax') expect(issue.line).toBeGreaterThan(0);
  }
}

/** The field path, or one of its ancestors or descendants (a rule about the enclosing object), is named. */
function expectNames(error: SpecError, at: Segment[]) {
  const field = formatPath(at);
  const named = error.issues.map((i) => i.path);
  const related = named.some(
    (p) => p === field || field.startsWith(`${p}.`) || field.startsWith(`${p}[`) || p.startsWith(field),
  );
  if (!related) throw new Error(`mutation at ${field} reported only at: ${named.join(', ') || '(none)'}`);
}

/** Maps whose keys are the user's (a new key with an existing key's value is valid). */
const freeMaps = new Set(
  objectLeaves
    .filter((leaf) => {
      const [first] = Object.values(leaf.value as object);
      return (
        first !== undefined &&
        !attempt(() => validateSpec(withValue(base, [...leaf.path, 'zzfree'], first), 'probe'))
      );
    })
    .map((leaf) => formatPath(leaf.path)),
);

const options = () => ({ seed, numRuns: runs, endOnFailure: true });

test('local.yaml itself is valid (the base every mutation starts from)', () => {
  expect(validateSpec(base, 'local').name).toBe('local');
  expect(scalarLeaves.length).toBeGreaterThan(50);
});

test('a value of the wrong type anywhere is rejected, naming that field', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...scalarLeaves).chain((leaf) => fc.tuple(fc.constant(leaf), wrongTypeFor(leaf))),
      ([leaf, value]) => {
        const error = attempt(() => validateSpec(withValue(base, leaf.path, value), 'mutated'));
        if (!error) throw new Error(`accepted ${JSON.stringify(value)} at ${formatPath(leaf.path)}`);
        expectClear(error);
        expectNames(error, leaf.path);
      },
    ),
    options(),
  );
});

test('a removed field is optional, or reported by name (itself, or a field that refers to it)', () => {
  fc.assert(
    fc.property(fc.constantFrom(...allLeaves.filter((l) => typeof l.path.at(-1) === 'string')), (leaf) => {
      const error = attempt(() => validateSpec(withValue(base, leaf.path, undefined), 'mutated'));
      if (error) {
        expectClear(error);
        for (const issue of error.issues) expect(issue.path).not.toBe('');
      }
    }),
    options(),
  );
});

test('an unknown key is rejected at its path, and a key naming a secret is refused', () => {
  const key = fc.oneof(
    fc.stringMatching(/^[a-z][A-Za-z0-9]{0,11}$/),
    fc.constantFrom('masterPassword', 'authToken', 'apiKey', 'db_password', 'secretAccessKey'),
  );
  const secret = /(password|passwd|passphrase|token|apikey|secret|secretkey|accesskeyid|privatekey)$/;
  fc.assert(
    fc.property(fc.constantFrom(...objectLeaves), key, fc.jsonValue({ maxDepth: 1 }), (leaf, name, value) => {
      const object = leaf.value as Record<string, unknown>;
      const namesSecret = secret.test(name.toLowerCase().replace(/[-_]/g, ''));
      // Free maps (tags, labels, selectors, Redis parameters) take any key, except one naming a secret.
      fc.pre(!(name in object) && (namesSecret || !freeMaps.has(formatPath(leaf.path))));
      const error = attempt(() => validateSpec(withValue(base, [...leaf.path, name], value), 'mutated'));
      if (!error) throw new Error(`accepted unknown key ${formatPath([...leaf.path, name])}`);
      expectClear(error);
      expectNames(error, [...leaf.path, name]);
    }),
    options(),
  );
});

test('oversized strings and lists are rejected by name or accepted whole, never crash', () => {
  const strings = scalarLeaves.filter((l) => typeof l.value === 'string');
  const lists = allLeaves.filter((l) => Array.isArray(l.value));
  fc.assert(
    fc.property(
      fc.oneof(
        fc.tuple(fc.constantFrom(...strings), fc.integer({ min: 300, max: 50_000 })),
        fc.tuple(fc.constantFrom(...lists), fc.integer({ min: 50, max: 1_000 })),
      ),
      ([leaf, size]) => {
        const huge = Array.isArray(leaf.value)
          ? Array.from(
              { length: size },
              (_, i) => (leaf.value as unknown[])[i % (leaf.value as unknown[]).length],
            )
          : 'x'.repeat(size);
        const error = attempt(() => validateSpec(withValue(base, leaf.path, huge), 'mutated'));
        if (error) {
          expectClear(error);
          expectNames(error, leaf.path);
        }
      },
    ),
    { ...options(), numRuns: Math.ceil(runs / 4) },
  );
});

test('mutated values survive the YAML round trip: same verdict from text as from the document', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...scalarLeaves).chain((leaf) => fc.tuple(fc.constant(leaf), wrongTypeFor(leaf))),
      ([leaf, value]) => {
        const text = stringify(withValue(base, leaf.path, value));
        const error = attempt(() => parseSpec(text, 'mutated.yaml', environments));
        if (!error)
          throw new Error(`YAML with ${JSON.stringify(value)} at ${formatPath(leaf.path)} accepted`);
        expectClear(error);
        expectNames(error, leaf.path);
      },
    ),
    { ...options(), numRuns: Math.ceil(runs / 3) },
  );
});

test('corrupted YAML text is a SpecError with a line and column, or a spec verdict; nothing else', () => {
  const noise = fc.constantFrom(
    ':',
    '- ',
    '[',
    ']',
    '{',
    '}',
    '&a',
    '*a',
    '\t',
    '"',
    "'",
    '\n',
    '  ',
    '!!int ',
    '? ',
    '|',
    '#',
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat({ max: localText.length }), noise), { minLength: 1, maxLength: 6 }),
      (edits) => {
        let text = localText;
        for (const [at, piece] of edits) text = text.slice(0, at) + piece + text.slice(at);
        const error = attempt(() => parseSpec(text, 'corrupted.yaml', environments));
        if (error) expectClear(error);
      },
    ),
    options(),
  );
});

test('arbitrary text, including binary and huge input, never escapes as anything but a SpecError', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 })),
      (text) => {
        const error = attempt(() => parseSpec(text, 'random.yaml', environments));
        if (error) expectClear(error);
      },
    ),
    options(),
  );
});

describe('hostile YAML', () => {
  const cases: [string, string][] = [
    [
      'an alias bomb (billion laughs)',
      ['a: &a ["x","x","x","x","x","x","x","x","x"]']
        .concat(
          Array.from(
            { length: 9 },
            (_, i) =>
              `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
          ),
        )
        .join('\n'),
    ],
    ['nesting 5000 lists deep', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['nesting 2000 maps deep', `${'{a: '.repeat(2000)}1${'}'.repeat(2000)}`],
    // The parser's duplicate-key check took the square of the key count (100 000 keys did not
    // finish in 10 minutes); the spec's own check is linear, and the text is bounded.
    [
      'a document of 20 000 unknown keys',
      `name: local\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: v`).join('\n')}\n`,
    ],
    ['a document over 1 MiB', `name: local\ndescription: ${'x'.repeat(1024 * 1024)}\n`],
    ['a duplicate key', `${localText}\nname: other\n`],
    ['an alias without its anchor', 'name: *nowhere\n'],
    ['a document stream', `${localText}\n---\nname: second\n`],
    ['a custom tag', `!!python/object:os.system name: local\n`],
    ['extends pointing at itself', 'extends: loop.yaml\nname: x\n'],
    ['extends pointing nowhere', 'extends: does-not-exist.yaml\nname: x\n'],
    ['extends of a wrong type', 'extends: [a, b]\nname: x\n'],
  ];
  test.each(cases)('%s is rejected with a clear SpecError', (_name, text) => {
    const error = attempt(() => parseSpec(text, path.join(environments, 'loop.yaml')));
    expect(error).toBeInstanceOf(SpecError);
    expectClear(error!);
  });
});

/** A rule message that quotes an oversized value (a 90 KB gateway name) is cut in the report. */
test('every line of the report stays short when a value is oversized', () => {
  const error = attempt(() =>
    validateSpec(
      withValue(base, ['mesh', 'virtualServices', 0, 'gateways', 0], 'g'.repeat(90_000)),
      'mutated',
    ),
  );
  expect(error).toBeInstanceOf(SpecError);
  for (const line of error!.message.split('\n')) expect(line.length).toBeLessThan(400);
});

/** The secret scanner finds what it looks for, so that "none found" means something. */
import { base64Forms, secretsIn } from './secrets';

const secret = { name: 'db password', value: 'Zq3vT9xLp2Wm8RkA' };

test.each([0, 1, 2, 3, 4, 5])('a secret inside base64 text is found at offset %i', (offset) => {
  const wrapped = Buffer.from(`${'{"x":"'.slice(0, offset)}{"password":"${secret.value}"}`).toString(
    'base64',
  );
  expect(secretsIn([`payload ${wrapped} end`], [secret])).not.toEqual([]);
});

test('found in plain text, not found where it is absent', () => {
  expect(secretsIn([`..."${secret.value}"...`], [secret])).toEqual(['db password (plain)']);
  expect(secretsIn(['nothing here', Buffer.from('other').toString('base64')], [secret])).toEqual([]);
  expect(base64Forms(secret.value).length).toBe(3);
});

/**
 * Looking for secret values in workflow histories: the value itself, and its base64 form at
 * each of the three byte alignments it can have inside a longer base64 string.
 */
export interface Secret {
  name: string;
  value: string;
}

/** Substrings that base64 text contains wherever `value` sits inside the encoded bytes. */
export function base64Forms(value: string): string[] {
  const forms: string[] = [];
  for (const pad of ['', 'a', 'ab']) {
    const encoded = Buffer.from(pad + value)
      .toString('base64')
      .replace(/=+$/, '');
    // Drop the characters that mix in neighbouring bytes: 4 chars encode 3 bytes.
    const skip = Math.ceil((pad.length * 4) / 3);
    const keep = Math.floor(((pad.length + Buffer.byteLength(value)) * 4) / 3);
    forms.push(encoded.slice(skip, keep));
  }
  return forms.filter((f) => f.length >= 8);
}

/** Each secret found in any of the texts, with the form it was found in. */
export function secretsIn(texts: string[], secrets: Secret[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    const forms = [
      ['plain', secret.value],
      ...base64Forms(secret.value).map((f) => ['base64', f]),
      ['base64url', Buffer.from(secret.value).toString('base64url').slice(0, -2)],
    ];
    for (const [kind, form] of forms) {
      if (texts.some((t) => t.includes(form))) found.push(`${secret.name} (${kind})`);
    }
  }
  return found;
}

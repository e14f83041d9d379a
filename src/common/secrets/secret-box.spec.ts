import { randomBytes } from 'node:crypto';
import { isSealed, SecretBox } from 'src/common/secrets/secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);

  it('seals with a fresh IV each time and opens again', () => {
    const box = new SecretBox(key);
    const first = box.seal('whsec_abc');
    const second = box.seal('whsec_abc');
    expect(first).not.toBe(second);
    expect(first).not.toContain('whsec_abc');
    expect(isSealed(first)).toBe(true);
    expect(box.open(first)).toBe('whsec_abc');
    expect(box.isCurrent(first)).toBe(true);
  });

  it('opens values sealed under the previous key during a rotation', () => {
    const sealed = new SecretBox(key).seal('old-secret');
    const rotated = new SecretBox(randomBytes(32), key);
    expect(rotated.open(sealed)).toBe('old-secret');
    expect(rotated.isCurrent(sealed)).toBe(false);
    expect(rotated.isCurrent(rotated.seal('x'))).toBe(true);
  });

  it('refuses an unknown key and an altered ciphertext', () => {
    const sealed = new SecretBox(key).seal('secret-value');
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(/neither SECRETS_KEY/);
    const bytes = Buffer.from(sealed.split(':')[3], 'base64');
    bytes[bytes.length - 1] ^= 1;
    const altered = sealed.split(':').slice(0, 3).join(':') + ':' + bytes.toString('base64');
    expect(() => new SecretBox(key).open(altered)).toThrow(/failed authentication/);
  });
});

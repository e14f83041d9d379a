import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, legacySignature, signWebhook } from 'src/alerts/webhook-signature.policy';

describe('signWebhook', () => {
  it('reproduces the Standard Webhooks specification example', () => {
    // spec example; python3: base64.b64encode(hmac.new(base64.b64decode('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
    //   b'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}', hashlib.sha256).digest())
    const headers = signWebhook({
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(headers['webhook-id']).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek');
    expect(headers['webhook-timestamp']).toBe('1614265330');
  });

  it('is accepted by the standardwebhooks library, and refused once the body or id changes', () => {
    const secret = generateWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ event: 'alert.firing', n: 1 });
    const headers = signWebhook({ id: 'delivery-1', timestamp, body, secret });
    const verifier = new Webhook(secret);
    expect(verifier.verify(body, headers)).toEqual({ event: 'alert.firing', n: 1 });
    expect(() => verifier.verify(body.replace('1', '2'), headers)).toThrow();
    expect(() => verifier.verify(body, { ...headers, 'webhook-id': 'delivery-2' })).toThrow();
  });

  it('is refused by the library outside its 5-minute tolerance (a replayed capture)', () => {
    const secret = generateWebhookSecret();
    const body = '{}';
    const headers = signWebhook({ id: 'd', timestamp: Math.floor(Date.now() / 1000) - 6 * 60, body, secret });
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/too old/i);
  });

  it('uses a secret without the whsec_ prefix as raw UTF-8 bytes', () => {
    // python3: base64.b64encode(hmac.new(b'my-own-secret-1', b'd1.1700000000.{}', hashlib.sha256).digest())
    const headers = signWebhook({ id: 'd1', timestamp: 1700000000, body: '{}', secret: 'my-own-secret-1' });
    expect(headers['webhook-signature']).toBe('v1,amOrcc4NAKB2PPDcIQjJuR0KJRl+EvY2vX55piKiwis=');
  });

  it('keeps the legacy header: sha256= and the hex HMAC-SHA256 of the body', () => {
    // python3: hmac.new(b'topsecret', b'{"a":1}', hashlib.sha256).hexdigest()
    expect(legacySignature('topsecret', '{"a":1}')).toBe('sha256=bf1e6501b7fa928ec2391fea9dd90af3c9ad1b7b1ef6ff319c25940cec746bf8');
    expect(signWebhook({ id: 'x', timestamp: 1, body: '{"a":1}', secret: 'topsecret' })['x-modelwatch-signature']).toBe(
      legacySignature('topsecret', '{"a":1}'),
    );
  });
});

describe('generateWebhookSecret', () => {
  it('is whsec_ and 32 random bytes in base64', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

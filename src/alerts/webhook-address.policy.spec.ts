import { addressLiteral, forbiddenRange, isAllowed, parseAllowList, refusalReason } from 'src/alerts/webhook-address.policy';

describe('forbiddenRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['64:ff9b::7f00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(forbiddenRange(address)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('lets global unicast %s through', (address) => {
    expect(forbiddenRange(address)).toBeNull();
  });
});

describe('parseAllowList and isAllowed', () => {
  const { allowList } = parseAllowList('127.0.0.1, 10.0.0.0/8, hooks.internal, [::1], fd00::/8');

  it('allows listed addresses, ranges and exact host names', () => {
    expect(isAllowed('x', '127.0.0.1', allowList)).toBe(true);
    expect(isAllowed('x', '::ffff:127.0.0.1', allowList)).toBe(true);
    expect(isAllowed('x', '10.200.0.1', allowList)).toBe(true);
    expect(isAllowed('x', '::1', allowList)).toBe(true);
    expect(isAllowed('x', 'fd12::1', allowList)).toBe(true);
    expect(isAllowed('HOOKS.internal', '192.168.0.5', allowList)).toBe(true);
    expect(isAllowed('x', '127.0.0.2', allowList)).toBe(false);
    expect(isAllowed('sub.hooks.internal', '192.168.0.5', allowList)).toBe(false);
  });

  it('names a bad entry', () => {
    expect(parseAllowList('10.0.0.0/99').problem).toMatch(/10\.0\.0\.0\/99/);
    expect(parseAllowList('http://x').problem).toMatch(/WEBHOOK_ALLOWED_HOSTS/);
    expect(parseAllowList('').problem).toBeNull();
  });

  it('explains a refusal and stays quiet for allowed addresses', () => {
    expect(refusalReason('metadata', '169.254.169.254', parseAllowList('').allowList)).toMatch(/linkLocal/);
    expect(refusalReason('x', '127.0.0.1', allowList)).toBeNull();
    expect(refusalReason('x', '8.8.8.8', parseAllowList('').allowList)).toBeNull();
  });
});

describe('addressLiteral', () => {
  it('tells address literals from names', () => {
    expect(addressLiteral('127.0.0.1')).toBe('127.0.0.1');
    expect(addressLiteral('[::1]')).toBe('::1');
    expect(addressLiteral('example.com')).toBeNull();
  });
});

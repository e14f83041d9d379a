import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isDatabaseUnavailable } from 'src/common/errors/database-unavailable';

/** The shapes test/connection-loss.e2e-spec.ts provoked by terminating backends and cutting connections. */
describe('isDatabaseUnavailable', () => {
  const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });

  it.each([
    ['57P01 from pg_terminate_backend', terminated],
    ['57P01 wrapped by TypeORM', new QueryFailedError('INSERT …', [], terminated)],
    ['the next query of a transaction whose connection died', new QueryRunnerProviderAlreadyReleasedError()],
    ['the rollback of that transaction', new QueryRunnerAlreadyReleasedError()],
    ['a socket that died', new Error('Connection terminated unexpectedly')],
    ['a client used after its connection error', new Error('Client has encountered a connection error and is not queryable')],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['class 08', Object.assign(new Error('connection failure'), { code: '08006' })],
  ])('counts %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT …', [], Object.assign(new Error('duplicate key'), { code: '23505' }))],
    ['a programming error', new TypeError('x is undefined')],
    [
      'a protocol violation (08P01: a bind with the wrong parameter count)',
      Object.assign(new Error('bind message supplies 2 parameters, but prepared statement "" requires 3'), { code: '08P01' }),
    ],
    ['nothing', undefined],
  ])('does not count %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

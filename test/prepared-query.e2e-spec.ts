import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from 'src/database/data-source-options';
import { preparedQuery, type PreparedStatement } from 'src/database/prepared-query';
import { createTestDatabase, type TestDatabase } from 'test/support/test-database';

/*
 * preparedQuery on a pool of one client, so every query below runs in that client's session and what the session
 * holds prepared can be read back from pg_prepared_statements.
 */
describe('prepared reads (e2e)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(database.url, 1)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const PROBE: PreparedStatement = { name: 'probe', text: 'SELECT $1::int + 1 AS answer' };
  const prepared = async () =>
    (await dataSource.query<{ name: string }[]>(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'probe%'`)).map((row) => row.name);

  it('prepares once per session, and goes on unnamed once a session has lost its statement (as behind a transaction-mode pooler)', async () => {
    expect(await preparedQuery(dataSource, PROBE, [1])).toEqual([{ answer: 2 }]);
    expect(await preparedQuery(dataSource, PROBE, [41])).toEqual([{ answer: 42 }]);
    const names = await prepared();
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^probe_\d+$/);

    // The session forgets it, as a pooler handing this client another server session would; node-postgres still
    // thinks it prepared and sends only Bind, PostgreSQL answers 26000, and the read is sent again unnamed.
    await dataSource.query('DEALLOCATE ALL');
    expect(await preparedQuery(dataSource, PROBE, [2])).toEqual([{ answer: 3 }]);
    // From then on nothing is prepared again in this process.
    expect(await preparedQuery(dataSource, PROBE, [3])).toEqual([{ answer: 4 }]);
    expect(await prepared()).toEqual([]);
  });
});

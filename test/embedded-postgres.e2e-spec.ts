import { Client } from 'pg';
import { startEmbeddedPostgresChild } from 'test/support/embedded-child';

/**
 * The embedded default under concurrent connections: parameterised queries (Parse/Bind/Execute/Sync)
 * from several connections while another runs transactions must each get their own answers.
 * Runs on the embedded database whatever DATABASE_URL says. (Before the queue fix in
 * src/database/embedded-postgres.ts this workload gave 200 wrong results and 800 errors.)
 */
describe('embedded PostgreSQL under concurrent connections', () => {
  it('never mixes up messages of different connections', async () => {
    const embedded = await startEmbeddedPostgresChild();
    const clients = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const client = new Client({ connectionString: embedded.url });
        await client.connect();
        return client;
      }),
    );
    try {
      await clients[0].query('CREATE TABLE interleave (id int PRIMARY KEY, label text)');
      let wrong = 0;
      await Promise.all(
        clients.map(async (client, clientIndex) => {
          for (let iteration = 0; iteration < 100; iteration++) {
            if (clientIndex === 0) {
              await client.query('BEGIN');
              await client.query('INSERT INTO interleave VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET label = $2', [
                iteration,
                `x${iteration}`,
              ]);
              await client.query('COMMIT');
            } else {
              const { rows } = await client.query('SELECT $1::int AS number, $2::text AS label', [
                clientIndex * 1000 + iteration,
                `c${clientIndex}`,
              ]);
              if (rows[0].number !== clientIndex * 1000 + iteration || rows[0].label !== `c${clientIndex}`) wrong++;
            }
          }
        }),
      );
      expect(wrong).toBe(0);
      const { rows } = await clients[1].query('SELECT count(*)::int AS count FROM interleave');
      expect(rows[0].count).toBe(100);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
      await embedded.stop();
    }
  });

  it('keeps serving after a query fails', async () => {
    const embedded = await startEmbeddedPostgresChild();
    const first = new Client({ connectionString: embedded.url });
    const second = new Client({ connectionString: embedded.url });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await expect(first.query('SELECT * FROM no_such_table WHERE id = $1', [1])).rejects.toThrow(/no_such_table/);
      const [a, b] = await Promise.all([first.query('SELECT $1::int AS v', [1]), second.query('SELECT $1::int AS v', [2])]);
      expect([a.rows[0].v, b.rows[0].v]).toEqual([1, 2]);
    } finally {
      await Promise.all([first.end(), second.end()]);
      await embedded.stop();
    }
  });
});

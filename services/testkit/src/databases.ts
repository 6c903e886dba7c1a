import pg from 'pg';

/** `text` as a LIKE pattern matching itself alone (`_` and `%` are wildcards otherwise). */
export const likeLiteral = (text: string) => text.replace(/[\\_%]/g, (char) => `\\${char}`);

/** Drops every database on `serverUrl` whose name is LIKE one of `patterns`, closing its connections. */
export async function dropDatabases(serverUrl: string, patterns: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where datname like any($1)',
      [patterns],
    );
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await client.end();
  }
}

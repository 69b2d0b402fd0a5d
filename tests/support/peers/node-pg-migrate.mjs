// node-pg-migrate.mjs: node-pg-migrate's runner applies the plain chain
// (one .mjs file per SQL file, named by its stem, running its bytes with
// pgm.sql) to the database of the PG* environment, writing pgmigrations.
//   node node-pg-migrate.mjs PEERS_DIR SQL_DIR WORK_DIR
import path from "node:path";
import { load, jsMigrations } from "./common.mjs";

const [peersDir, sqlDir, workDir] = process.argv.slice(2);
const migDir = path.join(workDir, "npm-migrations");
jsMigrations(sqlDir, migDir, (sql) =>
  `export const up = (pgm) => { pgm.sql(${sql}); };\n` +
  `export const down = false;\n`);
const { runner } = await load(peersDir, "node-pg-migrate");
const pg = (await load(peersDir, "pg")).default;
const client = new pg.Client();
await client.connect();
try {
  const done = await runner({
    dbClient: client, dir: migDir, direction: "up", count: Infinity,
    migrationsTable: "pgmigrations", log: () => {}, verbose: false,
  });
  for (const m of done) console.log(`node-pg-migrate: applied ${m.name}`);
} finally {
  await client.end();
}

// kysely.mjs: Kysely's Migrator applies the plain chain (one .mjs file per
// SQL file, FileMigrationProvider naming each by its stem) to the database
// of the PG* environment, writing kysely_migration and kysely_migration_lock.
//   node kysely.mjs PEERS_DIR SQL_DIR WORK_DIR
import { promises as fs } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { load, jsMigrations } from "./common.mjs";

const [peersDir, sqlDir, workDir] = process.argv.slice(2);
const migDir = path.join(workDir, "kysely-migrations");
// The migration files import Kysely from the cache, as the app's would.
const kyselyUrl = JSON.stringify(pathToFileURL(createRequire(
  path.join(peersDir, "node_modules", "x.js")).resolve("kysely")).href);
jsMigrations(sqlDir, migDir, (sql) =>
  `import { sql } from ${kyselyUrl};\n` +
  `export async function up(db) { await sql.raw(${sql}).execute(db); }\n` +
  `export async function down() { throw new Error("no down"); }\n`);
const { Kysely, PostgresDialect, Migrator, FileMigrationProvider } =
  await load(peersDir, "kysely");
const pg = (await load(peersDir, "pg")).default;
const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ max: 1 }) }) });
const migrator = new Migrator({
  db, provider: new FileMigrationProvider({ fs, path, migrationFolder: migDir }),
});
const { error, results } = await migrator.migrateToLatest();
for (const r of results ?? []) console.log(`kysely: ${r.status} ${r.migrationName}`);
await db.destroy();
if (error) { console.error("kysely:", error); process.exit(1); }

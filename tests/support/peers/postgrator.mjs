// postgrator.mjs: postgrator applies the postgrator chain (NNN.do.name.sql)
// to the database of the PG* environment, writing schemaversion.
//   node postgrator.mjs PEERS_DIR SQL_DIR
import { load } from "./common.mjs";

const [peersDir, sqlDir] = process.argv.slice(2);
const Postgrator = (await load(peersDir, "postgrator")).default;
const pg = (await load(peersDir, "pg")).default;
const client = new pg.Client();
await client.connect();
try {
  const postgrator = new Postgrator({
    migrationPattern: `${sqlDir}/*`,
    driver: "pg",
    database: process.env.PGDATABASE,
    schemaTable: "schemaversion",
    execQuery: (query) => client.query(query),
  });
  const done = await postgrator.migrate();
  for (const m of done) console.log(`postgrator: applied ${m.version} ${m.name}`);
} finally {
  await client.end();
}

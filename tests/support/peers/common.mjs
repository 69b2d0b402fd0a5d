// common.mjs: what the peer drivers share: the tool's modules from its
// cache folder (peers.bash), and the fixture chain's SQL files turned into
// the JS migration files the name-keyed tools (Kysely, node-pg-migrate)
// load, one per SQL file, named by its stem, running its bytes.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import fs from "node:fs";
import path from "node:path";

// load(peersDir, name): import a package installed under peersDir (the
// drivers live in the project, the packages in the cache).
export async function load(peersDir, name) {
  const require = createRequire(path.join(peersDir, "node_modules", "x.js"));
  return import(pathToFileURL(require.resolve(name)).href);
}

// jsMigrations(sqlDir, outDir, body): outDir/<stem>.mjs for every
// sqlDir/<stem>.sql, the SQL embedded as a string literal; body(sqlLiteral)
// is the module's text. Returns the stems in name order.
export function jsMigrations(sqlDir, outDir, body) {
  fs.mkdirSync(outDir, { recursive: true });
  const stems = fs.readdirSync(sqlDir).filter((f) => f.endsWith(".sql"))
    .sort().map((f) => f.slice(0, -4));
  for (const stem of stems) {
    const sql = fs.readFileSync(path.join(sqlDir, stem + ".sql"), "utf8");
    fs.writeFileSync(path.join(outDir, stem + ".mjs"), body(JSON.stringify(sql)));
  }
  return stems;
}

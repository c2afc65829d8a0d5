// Smoke test of the extension in Node's better-sqlite3 (loadExtension).
//
//   node tests/clients/smoke.js build/territory.so tests/clients/smoke.tsv
//
// Prints one line per failure and ends with "N passed, N failed".
'use strict';
const fs = require('fs');
const Database = require('better-sqlite3');

const [ext, table] = process.argv.slice(2);
const db = new Database(':memory:');
db.loadExtension(ext);
let passed = 0;
let failed = 0;
console.log('# SQLite ' + db.prepare('SELECT sqlite_version() AS v').get().v);
for (const line of fs.readFileSync(table, 'utf8').split('\n')) {
  if (line.startsWith('#') || line.trim() === '') continue;
  const [name, query, expected] = line.split('\t');
  let got;
  try {
    const v = db.prepare(query).pluck().get();
    got = v === null ? 'NULL' : String(v);
  } catch (e) {
    got = 'error: ' + e.message;
  }
  if (got === expected) {
    passed++;
  } else {
    failed++;
    console.log(`node ${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

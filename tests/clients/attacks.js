// Attacks on query text and text arguments in Node's better-sqlite3 (issue 12),
// which bundles a current SQLite.
//
//   NODE_PATH=build/node/node_modules node tests/clients/attacks.js build/territory.so tests/clients/attacks.json
//
// Runs every case of attacks.json, then the attacks that need several
// connections (half-read cursors elsewhere must not count as nesting).
// Prints one line per failure and ends with "N passed, N failed".
'use strict';
const fs = require('fs');
const Database = require('better-sqlite3');

const [ext, casesFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else {
    failed++;
    console.log(`node ${name}: ${detail}`);
  }
}
function connect() {
  const db = new Database(':memory:');
  db.loadExtension(ext);
  for (const sql of spec.setup) db.exec(sql);
  return db;
}
function rowsOf(db, sql, params) {
  const st = db.prepare(sql);
  if (!st.reader) {
    st.run(...(params || []));
    return [];
  }
  return st.raw().all(...(params || []));
}

const db = connect();
console.log('# SQLite ' + db.prepare('SELECT sqlite_version()').pluck().get());
for (const c of spec.cases) {
  let got;
  try {
    got = { rows: rowsOf(db, c.sql, c.params) };
  } catch (e) {
    got = { error: e.message };
  }
  const want = 'error' in c ? { error: c.error } : { rows: c.rows };
  check(c.name, JSON.stringify(got) === JSON.stringify(want),
        `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}

// four half-read cursors on other connections
const others = [];
const iters = [];
for (let i = 0; i < 4; i++) {
  const o = connect();
  others.push(o);
  const q = i % 2 ? "SELECT id FROM smart_check('goal')" : "SELECT key FROM allocate(8, 'w')";
  const it = o.prepare(q).iterate();
  it.next();
  iters.push(it);
}
let got;
try {
  got = rowsOf(db, "SELECT key, amount FROM allocate(4, 'w')");
} catch (e) {
  got = 'error: ' + e.message;
}
check('allocate beside four half-read cursors',
      JSON.stringify(got) === JSON.stringify([['a', 1], ['b', 3]]), `got ${JSON.stringify(got)}`);
for (const it of iters) it.return();
for (const o of others) o.close();
db.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// Ajv in strict mode over prelude's schemas, for tests/unit/test_schemas_ajv.py. Reads
// {"schemas": {kind: schema}, "keywords": path, "documents": [[kind, data], ...]} on stdin
// and writes {"compiled": {kind: "ok" | error}, "warnings": [...], "undeclared": error,
// "verdicts": [bool, ...]}.
"use strict";
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const warnings = [];

function strictAjv(declare) {
  const logger = {log() {}, warn: (...m) => warnings.push(m.join(" ")), error: (...m) => warnings.push(m.join(" "))};
  const ajv = new Ajv({strict: true, allErrors: true, logger});
  addFormats(ajv);
  if (declare) require(input.keywords)(ajv);
  return ajv;
}

const compiled = {};
const validators = {};
for (const [kind, schema] of Object.entries(input.schemas)) {
  try {
    validators[kind] = strictAjv(true).compile(schema);
    compiled[kind] = "ok";
  } catch (e) {
    compiled[kind] = String(e.message);
  }
}
// Without the declarations, strict mode refuses the annotations: what the module is for.
let undeclared = "accepted";
try {
  strictAjv(false).compile({type: "object", properties: {a: {type: "string", "x-share": "partner"}}});
} catch (e) {
  undeclared = String(e.message);
}
const verdicts = input.documents.map(([kind, data]) => validators[kind] ? validators[kind](data) : null);
process.stdout.write(JSON.stringify({compiled, warnings, undeclared, verdicts}));

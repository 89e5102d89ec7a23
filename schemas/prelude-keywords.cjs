// prelude's two schema annotations, declared for Ajv (https://ajv.js.org), whose strict mode
// refuses any keyword it was not told about, `x-` ones included:
//   "x-share": "partner"  a partner agency may see the field (docs/data-protection.md);
//   "x-free-text": true   text written by people, which may hold personal data.
// Neither changes what is valid: they are annotations, which python-jsonschema and
// jsonschema-rs ignore. Declared here with the only values they take, so a misspelt value
// fails to compile. Use it with the ajv command line:
//   ajv compile --spec=draft7 --strict=true -c ajv-formats -c ./prelude-keywords.cjs \
//     -s "*.schema.json"
// or in code: require("./prelude-keywords.cjs")(ajv).
"use strict";

module.exports = function preludeKeywords(ajv) {
  return ajv.addVocabulary([
    {keyword: "x-share", metaSchema: {const: "partner"}},
    {keyword: "x-free-text", metaSchema: {const: true}},
  ]);
};

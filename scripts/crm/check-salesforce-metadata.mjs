// Validates www/embed/salesforce/ against Salesforce schemas published on npm (not run by CI:
// the packages are not among the project's dev tools). From the repository root:
//   npm install --no-save --prefix /tmp/sfcheck @aurahelper/xml-definitions@2.0.1 @salesforce/schemas@1.10.3
//   NODE_PATH=/tmp/sfcheck/node_modules node scripts/crm/check-salesforce-metadata.mjs
// - every CustomField / PermissionSet element is one the Metadata API defines for that type
//   (@aurahelper/xml-definitions, API 53), with a value of its datatype (int, boolean, enum);
// - sfdx-project.json validates against @salesforce/schemas' sfdx-project.schema.json
//   (required keys, packageDirectories shape, API version pattern).
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.NODE_PATH ?? '.', 'x.js'));
const { XMLDefinitions } = require('@aurahelper/xml-definitions');
const root = 'www/embed/salesforce';
let problems = 0;
const fail = (file, msg) => { problems++; console.log(`FAIL ${file}: ${msg}`); };

/** Child elements of the root (one level) and of its array elements, as [name, text | children]. */
function children(xml) {
  const out = [];
  const re = /<([A-Za-z]+)>([\s\S]*?)<\/\1>/g;
  let m;
  while ((m = re.exec(xml))) out.push([m[1], m[2]]);
  return out;
}

function checkValue(file, key, def, text) {
  if (def.datatype === 'array' && def.fields) {
    for (const [k, v] of children(text)) {
      if (!def.fields[k]) fail(file, `${key}.${k} is not a field of ${key}`);
      else checkValue(file, `${key}.${k}`, def.fields[k], v);
    }
    return;
  }
  if (def.datatype === 'int' && !/^-?\d+$/.test(text)) fail(file, `${key} must be an integer: ${text}`);
  if (def.datatype === 'boolean' && !/^(true|false)$/.test(text)) fail(file, `${key} must be true/false: ${text}`);
  if (def.datatype === 'enum' && !def.values.some((v) => v.value === text)) fail(file, `${key}: ${text} is not one of its values`);
}

function checkFile(file, type) {
  const xml = readFileSync(file, 'utf8');
  const rootTag = new RegExp(`<${type} xmlns="http://soap.sforce.com/2006/04/metadata">([\\s\\S]*)</${type}>`);
  const m = xml.match(rootTag);
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) fail(file, 'no XML declaration');
  if (!m) return fail(file, `root is not <${type}> in the Metadata API namespace`);
  const def = XMLDefinitions.getDefinition(type, 53);
  for (const [key, text] of children(m[1])) {
    if (!def[key]) fail(file, `<${key}> is not an element of ${type}`);
    else checkValue(file, key, def[key], text);
  }
  console.log(`ok   ${file} (${type})`);
}

const fields = join(root, 'force-app/main/default/objects/Lead/fields');
for (const f of readdirSync(fields)) checkFile(join(fields, f), 'CustomField');
const perms = join(root, 'force-app/main/default/permissionsets');
for (const f of readdirSync(perms)) checkFile(join(perms, f), 'PermissionSet');

// sfdx-project.json against the published JSON schema (the subset of JSON Schema it uses).
const schema = require('@salesforce/schemas/sfdx-project.schema.json');
const project = JSON.parse(readFileSync(join(root, 'sfdx-project.json'), 'utf8'));
for (const k of schema.required ?? []) if (!(k in project)) fail('sfdx-project.json', `missing required ${k}`);
for (const [k, v] of Object.entries(project)) {
  const p = schema.properties[k];
  if (!p) { fail('sfdx-project.json', `${k} is not a property of the schema`); continue; }
  if (p.pattern && !new RegExp(p.pattern).test(v)) fail('sfdx-project.json', `${k} does not match ${p.pattern}`);
}
for (const dir of project.packageDirectories) {
  if (typeof dir.path !== 'string') fail('sfdx-project.json', 'packageDirectories[].path must be a string');
  readdirSync(join(root, dir.path));
}
console.log(problems ? `${problems} problems` : 'ok   sfdx-project.json; no problems');
process.exit(problems ? 1 : 0);

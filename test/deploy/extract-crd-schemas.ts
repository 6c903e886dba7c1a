/**
 * Turns CustomResourceDefinition files into the JSON schemas the manifest tests validate the
 * operators' objects against (no cluster, no network): for each served version, its
 * `openAPIV3Schema` with every `description` dropped (the text is most of the size and none of
 * the rules), written to deploy/kubernetes/crd-schemas/<group>_<plural>_<version>.json.
 *
 *   node test/deploy/extract-crd-schemas.ts path/to/crd.yaml [...]
 *
 * deploy/kubernetes/crd-schemas/README.md lists where each file came from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const SCHEMAS = new URL('../../deploy/kubernetes/crd-schemas/', import.meta.url);

interface CrdVersion {
  name: string;
  served: boolean;
  schema?: { openAPIV3Schema?: unknown };
}

interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string; plural: string }; versions: CrdVersion[] };
}

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, item]) => !(key === 'description' && typeof item === 'string'))
      .map(([key, item]) => [key, withoutDescriptions(item)]),
  );
}

for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const crd = document.toJS() as Crd | null;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names } = crd.spec;
    for (const version of crd.spec.versions.filter((v) => v.served && v.schema?.openAPIV3Schema)) {
      const out = new URL(`${group}_${names.plural}_${version.name}.json`, SCHEMAS);
      const schema = {
        kind: names.kind,
        group,
        version: version.name,
        schema: version.schema?.openAPIV3Schema,
      };
      writeFileSync(out, `${JSON.stringify(withoutDescriptions(schema))}\n`);
      process.stdout.write(`${out.pathname}\n`);
    }
  }
}

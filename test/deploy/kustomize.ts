/**
 * The Kubernetes manifests as a cluster would get them: every kustomization under
 * deploy/kubernetes rendered with `kubectl kustomize`, and each object validated against its
 * schema without a cluster or a network (Kubernetes' own from `kubernetes-models`, External
 * Secrets' from `@kubernetes-models/external-secrets`, the operators' from
 * deploy/kubernetes/crd-schemas).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

export const root = new URL('../../', import.meta.url);
const kubernetesDir = new URL('deploy/kubernetes/', root);

/** A rendered object; only the fields the checks read are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** `kubectl version --client` works: the manifests can be rendered here. */
export function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

/** Every folder under deploy/kubernetes holding a kustomization.yaml, e.g. `overlays/production`. */
export function kustomizations(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const url = new URL(dir, kubernetesDir);
    if (existsSync(new URL('kustomization.yaml', url))) found.push(dir.replace(/\/$/, ''));
    for (const entry of readdirSync(url, { withFileTypes: true }))
      if (entry.isDirectory()) walk(`${dir}${entry.name}/`);
  };
  walk('');
  return found.sort();
}

/** `kubectl kustomize deploy/kubernetes/<dir>`, parsed. */
export function render(dir: string): K8sObject[] {
  const run = spawnSync('kubectl', ['kustomize', new URL(dir, kubernetesDir).pathname], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${run.stderr}`);
  return parseAllDocuments(run.stdout)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

type Model = new (data: unknown) => { validate(): void };

/** Where each apiVersion's models are (`v1` is the core group). */
function modelModule(apiVersion: string): string | undefined {
  if (apiVersion.startsWith('external-secrets.io/'))
    return `@kubernetes-models/external-secrets/${apiVersion}`;
  const group = apiVersion.includes('/') ? apiVersion : `v1`;
  const known = ['v1', 'apps/v1', 'policy/v1', 'autoscaling/v2', 'networking.k8s.io/v1'];
  return known.includes(group) ? `kubernetes-models/${group}` : undefined;
}

/**
 * The operators' schemas, strict: an object schema that lists its properties takes no others
 * (the API server would drop an unknown field of a custom resource without a word).
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, strict(value)]));
  const open = 'additionalProperties' in copy || copy['x-kubernetes-preserve-unknown-fields'] === true;
  if (copy.type === 'object' && copy.properties && !open) copy.additionalProperties = false;
  return copy;
}

let crdValidators: Map<string, ValidateFunction> | undefined;

function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  if (!crdValidators) {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const dir = new URL('crd-schemas/', kubernetesDir);
    crdValidators = new Map(
      readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => {
          const file = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as {
            group: string;
            version: string;
            kind: string;
            schema: object;
          };
          return [`${file.group}/${file.version} ${file.kind}`, ajv.compile(strict(file.schema) as object)];
        }),
    );
  }
  return crdValidators.get(`${apiVersion} ${kind}`);
}

/** What is wrong with `object` by its schema; an empty list when it is valid. */
export async function schemaErrors(object: K8sObject): Promise<string[]> {
  const name = `${object.kind} ${object.metadata.name}`;
  const crd = crdValidator(object.apiVersion, object.kind);
  if (crd) {
    return crd(object)
      ? []
      : (crd.errors ?? []).map((error) => `${name}: ${error.instancePath} ${error.message ?? ''}`);
  }
  const module = modelModule(object.apiVersion);
  if (!module) return [`${name}: no schema for ${object.apiVersion}`];
  const models = (await import(module)) as Record<string, Model | undefined>;
  const model = models[object.kind];
  if (!model) return [`${name}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return [`${name}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

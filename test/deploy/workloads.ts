/**
 * Each part as its rendered Deployment runs it: the container, the settings it gets from its
 * ConfigMaps and environment, and the secret files its `secrets` volume puts in SECRETS_DIR.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { root, type K8sObject } from './kustomize.ts';

/** Every part that runs in a cluster, and its contract port (DESIGN.md §5); the sandbox never does. */
export const PART_PORTS: Readonly<Record<string, number>> = {
  bot: 3000,
  auth: 3001,
  catalog: 3002,
  order: 3003,
  payment: 3004,
  notification: 3005,
  web: 3006,
};

export interface Probe {
  httpGet?: { path: string; port: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface SecretSource {
  name: string;
  items?: { key: string; path: string }[];
  optional?: boolean;
}

export interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  terminationGracePeriodSeconds?: number;
  volumes?: {
    name: string;
    projected?: { sources: { secret?: SecretSource }[] };
    secret?: { secretName: string };
  }[];
}

export interface Workload {
  name: string;
  deployment: K8sObject & { spec: { replicas?: number; template: { spec: PodSpec } } };
  pod: PodSpec;
  container: Container;
  /** Every variable set in its environment (ConfigMaps through envFrom, then `env`), by name. */
  settings: Record<string, string | undefined>;
  /** The files in SECRETS_DIR: file name -> the Secret and key it comes from. */
  secretFiles: Map<string, { secret: string; key: string }>;
}

const byKind = (objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);

export function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return byKind(objects, kind).find((object) => object.metadata.name === name);
}

export function workloads(objects: K8sObject[]): Workload[] {
  return byKind(objects, 'Deployment').map((object) => {
    const deployment = object as Workload['deployment'];
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;
    const settings: Workload['settings'] = {};
    for (const source of container.envFrom ?? []) {
      const configMap = source.configMapRef && find(objects, 'ConfigMap', source.configMapRef.name);
      if (!configMap) throw new Error(`${object.metadata.name}: envFrom ${JSON.stringify(source)} not found`);
      Object.assign(settings, configMap.data);
    }
    for (const variable of container.env ?? []) settings[variable.name] = variable.value;
    const secretFiles = new Map<string, { secret: string; key: string }>();
    const mount = container.volumeMounts?.find((m) => m.mountPath === settings.SECRETS_DIR);
    const volume = pod.volumes?.find((v) => v.name === mount?.name);
    for (const { secret } of volume?.projected?.sources ?? [])
      for (const item of secret?.items ?? [])
        secretFiles.set(item.path, { secret: secret!.name, key: item.key });
    return { name: object.metadata.name, deployment, pod, container, settings, secretFiles };
  });
}

/** The package folder of a part, e.g. `services/auth`, `bot`. */
export const partDir = (name: string) => (name === 'bot' ? 'bot' : `services/${name}`);

/** The part's config schema (`<name>ConfigSchema` in its src/config.ts); undefined while it has none. */
export async function configSchema(name: string): Promise<z.ZodObject | undefined> {
  const file = new URL(`${partDir(name)}/src/config.ts`, root);
  if (!existsSync(file)) return undefined;
  const module = (await import(file.href)) as Record<string, unknown>;
  const schema = module[`${name}ConfigSchema`];
  if (!(schema instanceof z.ZodObject)) throw new Error(`${file.pathname} exports no ${name}ConfigSchema`);
  return schema;
}

/** The variables of `schema` without a default: the part does not start without them. */
export const requiredVariables = (schema: z.ZodObject): string[] =>
  Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);

/** Secrets by their name (as loadConfig hides them), and the addresses that carry passwords. */
export const isSecret = (name: string) =>
  /(TOKEN|KEY|SECRET|PASSWORD)$/.test(name) || ['POSTGRES_URL', 'REDIS_URL', 'RABBITMQ_URL'].includes(name);

/** The image's name without registry and tag: `registry.example.com/telegram-shop/auth:1` -> `auth`. */
export const imageTarget = (image: string) =>
  image
    .replace(/[:@].*$/, '')
    .split('/')
    .at(-1) ?? '';

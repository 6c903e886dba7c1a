/**
 * The Kubernetes manifests render, every object is valid by its schema, and each part runs as
 * the contract and the code expect: its image, port, probes, resources, security context,
 * scaling and drain. (Settings and secrets: kubernetes-settings.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { readDockerfile } from '../../scripts/test/dockerfile-parse.ts';
import { hasKubectl, kustomizations, render, schemaErrors, type K8sObject } from './kustomize.ts';
import { PART_PORTS, find, imageTarget, workloads } from './workloads.ts';

const kubectl = hasKubectl();
if (!kubectl) console.warn('test/deploy/kubernetes*.test.ts skipped: kubectl is not installed');

/** Scaled by CPU; notification is paced by Telegram, not CPU (see base/notification.yaml). */
const AUTOSCALED = ['auth', 'bot', 'catalog', 'order', 'payment', 'web'];

describe.skipIf(!kubectl)('Kubernetes manifests', () => {
  const dirs = kustomizations();

  it('has a base and a production overlay', () => {
    expect(dirs).toEqual(['base', 'overlays/production']);
  });

  it('rejects an object its schema refuses, for Kubernetes kinds and the operators alike', async () => {
    const deployment = render('base').find((object) => object.kind === 'Deployment')!;
    const broken = structuredClone(deployment) as K8sObject & { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(await schemaErrors(broken)).not.toEqual([]);
    const cluster = render('overlays/production').find((object) => object.kind === 'Cluster')!;
    const typo = { ...cluster, spec: { ...cluster.spec, instancess: 3 } };
    expect(await schemaErrors(typo)).not.toEqual([]);
  });

  describe.each(dirs)('%s', (dir) => {
    // Collected even when skipped: without kubectl there is nothing to render.
    const objects = kubectl ? render(dir) : [];
    const parts = workloads(objects);

    it('renders objects that are all valid by their schemas', async () => {
      expect(objects.length).toBeGreaterThan(20);
      const errors = (await Promise.all(objects.map(schemaErrors))).flat();
      expect(errors).toEqual([]);
    });

    it('runs every part but the sandbox, each from its Dockerfile target, on its contract port', async () => {
      expect(parts.map((part) => part.name).sort()).toEqual(Object.keys(PART_PORTS).sort());
      expect(JSON.stringify(objects)).not.toMatch(/sandbox/i);
      const { stages } = await readDockerfile();
      for (const { name, container } of parts) {
        const port = PART_PORTS[name]!;
        expect(imageTarget(container.image), name).toBe(name);
        const stage = stages.find((candidate) => candidate.name === name);
        const exposed = stage?.instructions.filter((instruction) => instruction.keyword === 'EXPOSE');
        expect(
          exposed?.map((instruction) => instruction.args),
          `${name}: the Dockerfile target's EXPOSE`,
        ).toEqual([String(port)]);
        expect(container.ports, name).toEqual([{ name: 'http', containerPort: port }]);
        const service = find(objects, 'Service', name)?.spec as { ports: unknown[] } | undefined;
        expect(service?.ports, name).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      }
    });

    it('probes each part on its own port: readiness /ready, liveness and startup /health', () => {
      for (const { name, container } of parts) {
        expect(container.readinessProbe?.httpGet, name).toEqual({ path: '/ready', port: 'http' });
        expect(container.livenessProbe?.httpGet, name).toEqual({ path: '/health', port: 'http' });
        expect(container.startupProbe?.httpGet, name).toEqual({ path: '/health', port: 'http' });
        // Migrations run before the port opens: the startup budget must cover a slow one.
        const { periodSeconds = 10, failureThreshold = 3 } = container.startupProbe ?? {};
        expect(periodSeconds * failureThreshold, name).toBeGreaterThanOrEqual(120);
      }
    });

    it('gives every container requests and limits, and runs it as uid 1000 without privileges', () => {
      for (const { name, pod, container } of parts) {
        for (const bound of ['requests', 'limits'] as const)
          expect(Object.keys(container.resources?.[bound] ?? {}).sort(), `${name} ${bound}`).toEqual([
            'cpu',
            'memory',
          ]);
        expect(pod.securityContext, name).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 1000,
          runAsGroup: 1000,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(container.securityContext, name).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(pod.automountServiceAccountToken, name).toBe(false);
        // A Service named `auth` would otherwise put AUTH_PORT=tcp://... into every pod.
        expect(pod.enableServiceLinks, name).toBe(false);
      }
    });

    it('autoscales the stateless parts, keeps notification at a fixed two, and lets no rollout or drain take the last pod', () => {
      const autoscalers = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler');
      expect(autoscalers.map((hpa) => hpa.metadata.name).sort()).toEqual(AUTOSCALED);
      for (const { name, deployment } of parts) {
        const hpa = autoscalers.find((candidate) => candidate.metadata.name === name)?.spec;
        if (hpa) {
          expect(hpa.scaleTargetRef, name).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
          expect(hpa.minReplicas, name).toBeGreaterThanOrEqual(2);
          // A count in the Deployment would undo the autoscaler's on every apply.
          expect(deployment.spec.replicas, name).toBeUndefined();
        } else {
          expect(deployment.spec.replicas, name).toBe(2);
        }
        expect(deployment.spec.strategy, name).toEqual({
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
        });
        const budget = find(objects, 'PodDisruptionBudget', name)?.spec;
        expect(budget, name).toEqual({
          maxUnavailable: 1,
          selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        });
      }
    });

    it('stops gracefully: endpoints go first, then the drain, all within the grace period', () => {
      for (const { name, pod, container, settings } of parts) {
        const [command, seconds] = container.lifecycle?.preStop?.exec?.command ?? [];
        expect(command, name).toBe('sleep');
        const drainSeconds = Number(settings.SHUTDOWN_TIMEOUT_MS) / 1000;
        expect(drainSeconds, name).toBeGreaterThan(0);
        expect(pod.terminationGracePeriodSeconds, name).toBeGreaterThanOrEqual(
          Number(seconds) + drainSeconds + 5,
        );
      }
    });
  });
});

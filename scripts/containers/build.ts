/** Builds every part's image from the Dockerfile with podman, on the local stand-in base. */
import { fileURLToPath } from 'node:url';
import type { ImageSpec } from './images.ts';
import { podman } from './podman.ts';

const root = new URL('../../', import.meta.url);

/**
 * `podman build --target <part>` from the repository: the layers every target shares (dependencies,
 * the TypeScript build) come from podman's cache after the first. `--network host`: the build
 * stages reach the npm registry as this machine does.
 */
export async function buildImage(spec: ImageSpec, baseImage: string): Promise<void> {
  await podman(
    [
      'build',
      '--network=host',
      '--pull=never',
      '--layers',
      `--build-arg=NODE_IMAGE=${baseImage}`,
      `--target=${spec.target}`,
      `--tag=${spec.image}`,
      fileURLToPath(root),
    ],
    { timeoutMs: 20 * 60_000 },
  );
}

/** Build-cache images no tag uses and older than a week: what earlier sources and lockfiles left. */
export async function pruneOldBuildCache(): Promise<void> {
  await podman(['image', 'prune', '--force', '--filter', 'until=168h']);
}

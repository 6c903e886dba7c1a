/**
 * The images the Dockerfile builds: one target per part of the shop, each named as the Kubernetes
 * manifests name it (`telegram-shop/<part>`), and what each carries besides compiled code.
 */
import { PARTS, type PartName } from '../lib/processes.ts';

export const IMAGE_REPOSITORY = 'telegram-shop';

/** Files a part reads at run time that are not compiled from src/*.ts: copied as they are. */
export const IMAGE_ASSETS: Readonly<Partial<Record<PartName, readonly string[]>>> = {
  bot: ['bot/src/locales'],
  sandbox: ['services/sandbox/public'],
  web: ['services/web/public'],
};

export interface ImageSpec {
  part: PartName;
  /** The part's package directory, which is also where it sits under /app in its image. */
  dir: string;
  /** The Dockerfile stage (`--target`). */
  target: PartName;
  /** The name it is tagged with, as deploy/kubernetes/base names it. */
  image: string;
  assets: readonly string[];
}

export const IMAGES: readonly ImageSpec[] = PARTS.map((part) => ({
  part: part.name,
  dir: part.dir,
  target: part.name,
  image: `${IMAGE_REPOSITORY}/${part.name}`,
  assets: IMAGE_ASSETS[part.name] ?? [],
}));

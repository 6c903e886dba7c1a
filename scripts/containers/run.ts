/**
 * `npm run containers`: the images built and run for real with podman (needs root and the settings
 * setup-podman.sh writes). Builds the local stand-in base once per recipe, every Dockerfile target,
 * checks what each image holds, runs the whole shop from the images with an order paid through it,
 * stops every container with SIGTERM and expects exit code 0 from each, then prints the sizes.
 * One line per step; exits 1 on the first failure, after removing what it started.
 *
 *   --no-build   check and run the images built last time (while working on this script)
 */
import { readFile } from 'node:fs/promises';
import type { Lockfile } from '../lib/lockfile.ts';
import { ensureBaseImage } from './base.ts';
import { buildImage, pruneOldBuildCache } from './build.ts';
import { configProblems, contentProblems, readImage } from './contents.ts';
import { IMAGES } from './images.ts';
import { placeAndPayOrder } from './order.ts';
import { imageSize, megabytes, secondsSince } from './podman.ts';
import { startContainerShop, type ContainerShop } from './shop.ts';

/** How long each part may take to drain after SIGTERM: its SHUTDOWN_TIMEOUT_MS (10 s) and a margin. */
const STOP_WITHIN_SECONDS = 15;

const say = (line: string) => process.stdout.write(`containers | ${line}\n`);

async function step<T>(label: string, work: () => Promise<T>, done?: (result: T) => string): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    say(`${label}: ${done ? `${done(result)}, ` : ''}${secondsSince(started)}`);
    return result;
  } catch (error) {
    say(`${label}: FAILED after ${secondsSince(started)}`);
    throw error;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const build = !process.argv.includes('--no-build');

  const base = await step('base image', ensureBaseImage, ({ image, made }) =>
    made ? `made ${image}` : `${image} (cached)`,
  );
  if (build) {
    for (const spec of IMAGES) await step(`build ${spec.image}`, () => buildImage(spec, base.image));
    await step('prune build cache older than a week', pruneOldBuildCache);
  }

  const lock = JSON.parse(
    await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8'),
  ) as Lockfile;
  const problems: string[] = [];
  for (const spec of IMAGES) {
    const checked = await step(
      `check ${spec.image}`,
      async () => {
        const { listing, config } = await readImage(spec.image, base.image);
        const files = listing.entries.filter((entry) => entry.type === 'f').length;
        return {
          files,
          problems: [...contentProblems(spec, listing, lock), ...configProblems(spec, config)],
        };
      },
      ({ files, problems: found }) =>
        `${files} files, ${found.length ? `${found.length} PROBLEMS` : 'nothing else'}`,
    );
    problems.push(...checked.problems.map((problem) => `${spec.image} ${problem}`));
  }
  if (problems.length) throw new Error(`the images hold what they should not:\n${problems.join('\n')}`);

  let shop: ContainerShop | undefined;
  try {
    shop = await step('start the shop from the images (host network, read-only, no capabilities)', () =>
      startContainerShop(IMAGES),
    );
    const running = shop;
    await step(
      'order paid through the API and the sandbox',
      () => placeAndPayOrder(running),
      (order) => `order #${order.id} ${order.status}, buyer told in the chat`,
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}\n${await running.logs()}`, { cause: error });
    });
    const exits = await step(
      `SIGTERM to every container`,
      () => running.stopAll(STOP_WITHIN_SECONDS + 15),
      (records) =>
        records.map(({ part, code, seconds }) => `${part} ${code} in ${seconds.toFixed(1)} s`).join(', '),
    );
    const bad = exits.filter(({ code, seconds }) => code !== 0 || seconds > STOP_WITHIN_SECONDS);
    if (bad.length)
      throw new Error(
        `not stopped with exit code 0 within ${STOP_WITHIN_SECONDS} s: ${bad.map((b) => b.part).join(', ')}\n${await running.logs()}`,
      );
  } finally {
    await shop?.close();
  }

  say('image sizes (the base included; the base alone is the first line):');
  const baseSize = await imageSize(base.image);
  say(`  ${'base'.padEnd(28)} ${megabytes(baseSize).padStart(9)}`);
  for (const spec of IMAGES) {
    const size = await imageSize(spec.image);
    say(`  ${spec.image.padEnd(28)} ${megabytes(size).padStart(9)}  (+${megabytes(size - baseSize)})`);
  }
  say(`passed in ${secondsSince(started)}`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`containers | ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

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
import { startContainerShop } from './shop.ts';

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

/** Every image's files and configuration against the rules in contents.ts; throws naming each problem. */
async function checkImages(baseImage: string): Promise<void> {
  const lockfile = new URL('../../package-lock.json', import.meta.url);
  const lock = JSON.parse(await readFile(lockfile, 'utf8')) as Lockfile;
  const problems: string[] = [];
  for (const spec of IMAGES) {
    const found = await step(
      `check ${spec.image}`,
      async () => {
        const { listing, config } = await readImage(spec.image, baseImage);
        const files = listing.entries.filter((entry) => entry.type === 'f').length;
        return {
          files,
          problems: [...contentProblems(spec, listing, lock), ...configProblems(spec, config)],
        };
      },
      ({ files, problems: own }) =>
        `${files} files, ${own.length ? `${own.length} PROBLEMS` : 'nothing else'}`,
    );
    problems.push(...found.problems.map((problem) => `${spec.image} ${problem}`));
  }
  if (problems.length) throw new Error(`the images hold what they should not:\n${problems.join('\n')}`);
}

/** The shop from the images, an order through it, then SIGTERM to all; removes what it made. */
async function runShop(): Promise<void> {
  const shop = await step('start the shop from the images (host network, read-only, no capabilities)', () =>
    startContainerShop(IMAGES),
  );
  const withLogs = async (error: unknown) => {
    throw new Error(`${(error as Error).message}\n${await shop.logs()}`, { cause: error });
  };
  try {
    await step(
      'order paid through the API and the sandbox',
      () => placeAndPayOrder(shop),
      (order) => `order #${order.id} ${order.status}, buyer told in the chat`,
    ).catch(withLogs);
    const exits = await step(
      'SIGTERM to every container',
      () => shop.stopAll(STOP_WITHIN_SECONDS + 15),
      (records) =>
        records
          .map(({ part, code, seconds }) => `${part} exit ${code} in ${seconds.toFixed(1)} s`)
          .join(', '),
    );
    const late = exits.filter(({ code, seconds }) => code !== 0 || seconds > STOP_WITHIN_SECONDS);
    if (late.length)
      await withLogs(
        new Error(
          `not stopped with exit code 0 within ${STOP_WITHIN_SECONDS} s: ${late.map(({ part }) => part).join(', ')}`,
        ),
      );
  } finally {
    await shop.close();
  }
}

async function printSizes(baseImage: string): Promise<void> {
  say('image sizes (the base included; the base alone is the first line):');
  const baseSize = await imageSize(baseImage);
  say(`  ${'base'.padEnd(28)} ${megabytes(baseSize).padStart(9)}`);
  for (const spec of IMAGES) {
    const size = await imageSize(spec.image);
    say(`  ${spec.image.padEnd(28)} ${megabytes(size).padStart(9)}  (+${megabytes(size - baseSize)})`);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const base = await step('base image', ensureBaseImage, ({ image, made }) =>
    made ? `made ${image}` : `${image} (cached)`,
  );
  if (!process.argv.includes('--no-build')) {
    for (const spec of IMAGES) await step(`build ${spec.image}`, () => buildImage(spec, base.image));
    await step('prune build cache older than a week', pruneOldBuildCache);
  }
  await checkImages(base.image);
  await runShop();
  await printSizes(base.image);
  say(`passed in ${secondsSince(started)}`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`containers | ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

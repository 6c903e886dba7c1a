/**
 * Runs before `npm run build`: removes what an earlier build left in each package (dist/ and the
 * declarations tsc -b keeps in dist-types/), so dist/ holds exactly the JavaScript of today's
 * src/, never a file whose source is gone. Without the build info in dist-types/, tsc -b then
 * rebuilds everything.
 */
import { readFileSync, rmSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { references } = JSON.parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8')) as {
  references: { path: string }[];
};
for (const { path } of references) {
  const dir = new URL(path.replace(/tsconfig\.build\.json$/, ''), root);
  for (const output of ['dist', 'dist-types']) rmSync(new URL(output, dir), { recursive: true, force: true });
}

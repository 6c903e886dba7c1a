/** Just enough of the Dockerfile and .dockerignore grammars to check them without a Docker engine. */
import { readFile } from 'node:fs/promises';
import { root } from './compose-file.ts';

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
}

export interface Stage {
  base: string;
  name: string;
  instructions: Instruction[];
}

export interface Copy {
  stage: string;
  /** `--from=<stage>`, when it copies from another stage instead of the build context. */
  from?: string;
  sources: string[];
  destination: string;
}

export async function readDockerfile(): Promise<{ args: Map<string, string>; stages: Stage[] }> {
  const text = await readFile(new URL('Dockerfile', root), 'utf8');
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest };
    if (instruction.keyword === 'FROM') {
      const [, base = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({ base, name, instructions: [] });
    } else if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

export function copies(stages: readonly Stage[]): Copy[] {
  return stages.flatMap((stage) =>
    stage.instructions
      .filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => {
        const words = instruction.args.split(/\s+/);
        const flags = words.filter((word) => word.startsWith('--'));
        const paths = words.filter((word) => !word.startsWith('--'));
        const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
        return { stage: stage.name, from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '' };
      }),
  );
}

/**
 * A predicate telling whether .dockerignore keeps `path` (relative, `/`-separated) out of the
 * build context: like Docker, a pattern matches the path or any folder above it, `**` spans
 * folders, and the last matching pattern wins (`!` lets a path back in).
 */
export async function dockerignore(): Promise<(path: string) => boolean> {
  const text = await readFile(new URL('.dockerignore', root), 'utf8');
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      const pattern = (negated ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      return { negated, regex: globToRegex(pattern) };
    });
  return (path) => {
    const segments = path.split('/');
    const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
    let ignored = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.negated;
    }
    return ignored;
  };
}

function globToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

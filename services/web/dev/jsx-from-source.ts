/**
 * Node runs TypeScript sources by stripping types, and refuses JSX. Started from its sources
 * (`npm start`, the process suites), the storefront compiles each `.tsx` module as it loads it,
 * with the TypeScript compiler the repository already has and the JSX settings of
 * tsconfig.base.json. The built image runs tsc's output and has neither this file nor the compiler.
 */
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const compilerOptions: ts.CompilerOptions = {
  jsx: ts.JsxEmit.ReactJSX,
  jsxImportSource: 'hono/jsx',
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2023,
  verbatimModuleSyntax: true,
  inlineSourceMap: true,
  inlineSources: true,
};

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.tsx')) return nextLoad(url, context);
    const fileName = fileURLToPath(url);
    const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), { fileName, compilerOptions });
    return { format: 'module', source: outputText, shortCircuit: true };
  },
});

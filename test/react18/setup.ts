import Module from 'node:module';
import { afterAll } from 'vitest';

/**
 * The react18 project's aliases reach what vite loads; CommonJS code Node loads itself
 * (react-dom-18's `require('react')`, @testing-library/react's `require('react-dom')`) would find
 * React 19 in node_modules. Send those requires to the React 18 packages too, for this file only.
 */
type Resolve = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const original = loader._resolveFilename;

loader._resolveFilename = function (this: unknown, request, ...rest) {
  const redirected = request.replace(/^(react|react-dom)(?=$|\/)/, '$1-18');
  return original.call(this, redirected, ...rest);
};

afterAll(() => {
  loader._resolveFilename = original;
});

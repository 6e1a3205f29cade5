import { render } from '@testing-library/react';
import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { renderToString } from 'react-dom/server';
import { expect, test } from 'vitest';

function Show() {
  return <span>{version}</span>;
}

// Runs only in the react18 project: proves the aliases reach React, react-dom, the server
// renderer and @testing-library/react (which would otherwise load React 19 through Node).
test('the react18 project runs React 18 everywhere', () => {
  expect(version).toMatch(/^18\./);
  expect(domVersion).toMatch(/^18\./);
  expect(renderToString(<Show />)).toContain('18.');
  const { container } = render(<Show />);
  expect(container.textContent).toMatch(/^18\./);
});

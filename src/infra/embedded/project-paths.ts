import path from 'node:path';

/** The project root (where package.json lives), independent of the working directory. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

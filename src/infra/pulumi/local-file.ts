import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResourceHandler, ResourceState } from './resource-handler';

export interface LocalFileProps {
  path: string;
  content: string;
}

export interface LocalFileOuts {
  sha256: string;
}

type LocalFileState = ResourceState<LocalFileProps, LocalFileOuts>;

/** A file on the machine that runs the engine: a resource with real state and no server. */
export const localFile: ResourceHandler<LocalFileProps, LocalFileOuts> = {
  replaceOnChanges: ['path'],

  async create(props) {
    return { id: props.path, outs: await write(props) };
  },

  async read(id) {
    const content = await readFile(id, 'utf8').catch(ignoreMissing);
    if (content === undefined) return undefined;
    return { props: { path: id, content }, outs: { sha256: sha256(content) } };
  },

  async update(id, _current: LocalFileState, news) {
    return write({ ...news, path: id });
  },

  async delete(id) {
    await rm(id, { force: true });
  },
};

async function write({ path: file, content }: LocalFileProps): Promise<LocalFileOuts> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return { sha256: sha256(content) };
}

function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}

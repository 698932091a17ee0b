/**
 * The callers the server knows about: a ProjectIndex fed by every open C document and, in the
 * background, by the .c/.h files beside each opened one that mention RCU. Siblings are cheap
 * to find and hold most callers of a static or file-local helper. Only index entries are
 * kept: a sibling's facts are dropped as soon as they are indexed, and no tree outlives a parse.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';

import type { WorkDoneProgressReporter } from 'vscode-languageserver/node';

import type { Analyzer } from '../analysis/analyzer';
import type { FileAnalysis } from '../analysis/file-analysis';
import { ProjectIndex } from '../analysis/project';
import { MAX_ANALYSED_CHARS, skipReason } from './documents';
import type { Logger } from './logger';
import { yieldToEvents } from './yield';

const SIBLING_FILE = /\.[ch]$/;
/** A kernel directory rarely holds more; past this, indexing would cost more than it finds. */
const MAX_SIBLINGS_PER_DIRECTORY = 400;
const MENTIONS_RCU = /rcu/i;

export interface ProjectHooks {
  /** The analyzer to prepare siblings with, once it is loaded. */
  readonly analyzer: () => Analyzer | undefined;
  /** Starts a work-done progress; a no-op reporter when the client does not support it. */
  readonly progress: () => Promise<WorkDoneProgressReporter>;
  /** Called after siblings were added, so open documents can be reported again. */
  readonly onIndexed: () => void;
}

export class WorkspaceProject {
  readonly index = new ProjectIndex();
  private readonly open = new Set<string>();
  private readonly siblings = new Set<string>();
  private readonly scannedDirectories = new Set<string>();
  private scanning: Promise<void> = Promise.resolve();

  constructor(
    private readonly hooks: ProjectHooks,
    private readonly logger: Logger,
  ) {}

  /** Records an open document's analysis, replacing what the index knew about the file. */
  addOpen(analysis: FileAnalysis): void {
    const file = analysis.facts.file;
    this.open.add(file);
    this.siblings.delete(file);
    this.index.add(analysis);
  }

  /** Forgets an open document; its saved version comes back as a sibling if it qualifies. */
  closeOpen(file: string): void {
    if (!this.open.delete(file)) return;
    this.index.remove(file);
    if (path.isAbsolute(file) && this.scannedDirectories.has(path.dirname(file))) {
      this.enqueue(() => this.indexFiles(path.dirname(file), [file]));
    }
  }

  /** Indexes the siblings of an opened file in the background, once per directory. */
  scanSiblingsOf(file: string): void {
    if (!path.isAbsolute(file)) return;
    const directory = path.dirname(file);
    if (this.scannedDirectories.has(directory)) return;
    this.scannedDirectories.add(directory);
    this.enqueue(() => this.scanDirectory(directory));
  }

  /** After a settings change: siblings were prepared with the old settings, so index them again. */
  reindexSiblings(): void {
    for (const file of this.siblings) this.index.remove(file);
    this.siblings.clear();
    const directories = [...this.scannedDirectories];
    for (const directory of directories) this.enqueue(() => this.scanDirectory(directory));
  }

  /** Resolves when the background work queued so far is done (for tests and shutdown). */
  whenIdle(): Promise<void> {
    return this.scanning;
  }

  private enqueue(work: () => Promise<void>): void {
    this.scanning = this.scanning.then(work).catch((error: unknown) => {
      this.logger.error('Indexing sibling files failed.', error);
    });
  }

  private async scanDirectory(directory: string): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(directory)).filter((name) => SIBLING_FILE.test(name)).sort();
    } catch (error) {
      this.logger.debug(`Cannot list ${directory}: ${(error as Error).message}`);
      return;
    }
    const files = names
      .slice(0, MAX_SIBLINGS_PER_DIRECTORY)
      .map((name) => path.join(directory, name));
    await this.indexFiles(
      directory,
      files.filter((file) => !this.open.has(file)),
    );
  }

  private async indexFiles(directory: string, files: readonly string[]): Promise<void> {
    if (files.length === 0) return;
    const progress = await this.hooks.progress();
    progress.begin('rcu-lens: indexing callers', 0, path.basename(directory), false);
    let added = 0;
    try {
      for (const [i, file] of files.entries()) {
        progress.report(Math.round((100 * i) / files.length), path.basename(file));
        if (await this.indexFile(file)) added++;
        await yieldToEvents();
      }
    } finally {
      progress.done();
    }
    this.logger.debug(`Indexed ${added} of ${files.length} files beside ${directory}.`);
    if (added > 0) this.hooks.onIndexed();
  }

  /** Prepares one file from disk and keeps only its index entries. */
  private async indexFile(file: string): Promise<boolean> {
    const analyzer = this.hooks.analyzer();
    if (!analyzer || this.open.has(file)) return false;
    const text = await readSmallText(file);
    if (text === undefined || !MENTIONS_RCU.test(text) || skipReason(text)) return false;
    try {
      const analysis = analyzer.prepare(file, text);
      if (this.open.has(file)) return false;
      this.index.add(analysis);
      this.siblings.add(file);
      return true;
    } catch (error) {
      this.logger.debug(`Skipped ${file} while indexing: ${(error as Error).message}`);
      return false;
    }
  }
}

async function readSmallText(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_ANALYSED_CHARS) return undefined;
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The registry of commands: each file in src/cli/ exports one factory. */
import type { Command } from 'commander';
import { checkCommand } from './check.js';
import { filterCommand } from './filter.js';
import { indexCommand } from './index-command.js';
import { mergeCommand } from './merge.js';
import { portraitCommand } from './portrait.js';
import { reportCommand } from './report.js';
import { scanCommand } from './scan.js';
import { scoreCommand } from './score.js';
import { slurmCommand } from './slurm.js';

export const COMMANDS: (() => Command)[] = [checkCommand, indexCommand, scanCommand, mergeCommand, slurmCommand, scoreCommand, filterCommand, portraitCommand, reportCommand];

/** The registry of commands: each file in src/cli/ exports one factory. */
import type { Command } from 'commander';

export const COMMANDS: (() => Command)[] = [];

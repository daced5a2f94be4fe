#!/usr/bin/env node
import { Command } from 'commander';
import { runServer } from './server.js';
import { type ServerOptions, serverOptions } from './server-options.js';

const program = new Command('voedger').description(
  'An all-in-one server platform for event-sourced applications, wire-compatible with Voedger',
);

const server = program.command('server').description('run the server');
for (const option of serverOptions()) server.addOption(option);
server.action(async (options: ServerOptions) => {
  process.exitCode = await runServer(options);
});

await program.parseAsync();

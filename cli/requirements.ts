import { catalogue } from '../suites/catalogue';
import { describeRequirement, renderRequirementsMarkdown } from '../suites/requirements-doc';
import { parseOptions, renderHelp, str, UsageError, type OptionTable } from './args';
import type { Io } from './io';
import type { Command } from './main';

const OPTIONS: OptionTable = {
  format: { type: 'string', help: 'markdown (default) or json', valueName: 'F' },
  help: { type: 'boolean', help: 'show this help' },
};

export const requirementsCommand: Command = {
  summary: 'print the requirement catalogue (ids, levels, sources, paired deviations)',
  async run(argv: string[], io: Io) {
    const values = parseOptions(OPTIONS, argv, io.env);
    if (values.help) {
      io.out(renderHelp('scim-lab requirements [--format markdown|json]', this.summary, OPTIONS));
      return 0;
    }
    const format = str(values, 'format') ?? 'markdown';
    if (format === 'json') io.out(JSON.stringify(catalogue.map(describeRequirement), null, 2));
    else if (format === 'markdown') io.out(renderRequirementsMarkdown(catalogue));
    else throw new UsageError(`--format must be markdown or json, got '${format}'`);
    return 0;
  },
};

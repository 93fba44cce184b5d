/** What every `tsfx` subcommand provides. */
export interface CliCommand {
  name: string;
  /** One line for `tsfx --help`. */
  summary: string;
  usage: string;
  /** Returns the exit status. Throwing prints the error's one-line message last and exits with `errorStatus`. */
  run(argv: string[]): Promise<number>;
  /** Exit status for errors (default 1; `validate` uses 2 because 1 means "anomalies found"). */
  errorStatus?: number;
}

/** Default metadata store of the CLI commands: `$TSFX_METADATA`, else `.tsfx/metadata.sqlite`. */
export function defaultMetadataPath(): string {
  return process.env.TSFX_METADATA ?? '.tsfx/metadata.sqlite';
}

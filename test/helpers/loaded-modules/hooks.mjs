// Module resolve hook: appends each resolved URL to the file named by QUIRE_LOADED_LOG.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.QUIRE_LOADED_LOG) appendFileSync(process.env.QUIRE_LOADED_LOG, `${result.url}\n`);
  return result;
}

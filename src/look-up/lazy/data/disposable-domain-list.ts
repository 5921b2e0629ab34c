// The disposable-email-domains project's list (npm `disposable-email-domains-js`), one domain a
// line, each in the form the strict reader gives. From the sources it is normalised here, at
// import; the build replaces this module with the finished string (see esbuild.config.mjs), so
// the zip neither ships the package's JSON nor normalises it at every cold start.
import { disposableEmailBlocklist } from 'disposable-email-domains-js';
import { readDomain } from '../../../read/email-address.js';

export const DISPOSABLE_DOMAIN_LIST: string = disposableEmailBlocklist()
  .flatMap((entry) => readDomain(entry.trim()) ?? [])
  .join('\n');

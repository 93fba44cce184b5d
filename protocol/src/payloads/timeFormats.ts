import * as v from 'valibot';
import { oneOf, str } from '../check';
import { INTEGER_TIME_FORMATS } from '../proto/schema';

/** A schema's Unix time units by feature name, as the views take them (see schemaTimeFormats). */
export const TimeFormatsSchema = v.record(str(), oneOf(INTEGER_TIME_FORMATS), 'an object');

// The records of a CSV file an import reads (an iCloud export's Photo Details and albums), streamed: never the file
// whole in memory, and bounded in bytes, rows and the length of a row, so that a CSV of any size costs what the
// bounds allow. Past a bound the file is not read further (CsvLimitError, with the reason); the caller goes on
// without it. A 250 MB Photo Details CSV read whole and parsed at once took the server to 4.4 GB and killed it.
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { formatBytes } from '../../base/text.js';

export interface CsvLimits {
  /**
   * Bytes of one file. A Photo Details row is ~140 bytes with its checksum and each part of an export has its own
   * file: 32 MB is ~220,000 photos in one part (a part of 25 GB holds ~10,000 photos of 2.5 MB). csv-parse reads
   * ~10 MB/s.
   */
  maxBytes: number;
  maxRows: number;
  /** Characters of one row, its fields together. */
  maxRowChars: number;
}

export const CSV_LIMITS: CsvLimits = { maxBytes: 32 * 1024 * 1024, maxRows: 1_000_000, maxRowChars: 64 * 1024 };

export class CsvLimitError extends Error {
  override name = 'CsvLimitError';
}

/**
 * Each record as an array of its fields, the header first (a row of many columns costs no object of as many keys);
 * empty lines skipped, fields trimmed, a BOM dropped. Throws CsvLimitError past a bound, the parser's error on a
 * malformed file, and the stream's own.
 */
export async function* csvRecords(stream: Readable, limits: CsvLimits = CSV_LIMITS): AsyncGenerator<string[]> {
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > limits.maxBytes ? new CsvLimitError(`larger than ${formatBytes(limits.maxBytes)}`) : null, chunk);
    },
  });
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, max_record_size: limits.maxRowChars });
  pipeline(stream, counted, parser, () => undefined);
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (++rows > limits.maxRows) throw new CsvLimitError(`more than ${limits.maxRows.toLocaleString('en')} rows`);
      yield record;
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'CSV_MAX_RECORD_SIZE') {
      throw new CsvLimitError(`a row is longer than ${limits.maxRowChars.toLocaleString('en')} characters`);
    }
    throw error;
  } finally {
    parser.destroy();
    stream.destroy();
  }
}

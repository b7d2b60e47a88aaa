// Parses AsyncAPI documents with the official parser (@asyncapi/parser) and
// prints one JSON line per file: its diagnostics (severity 0 error, 1 warning,
// 2 info, 3 hint). Run by tests/export.rs.
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';

const parser = new Parser();
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(readFileSync(file, 'utf8'), {
    source: file,
  });
  console.log(JSON.stringify({
    file,
    parsed: document !== undefined,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      path: d.path.join('/'),
    })),
  }));
}

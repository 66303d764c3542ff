// Writes docs/glossary.md from src/lib/i18n/glossary.ts (npm run glossary).
import { writeFileSync } from 'node:fs';
import { glossaryMarkdown } from '../src/lib/i18n/glossary-doc.ts';

writeFileSync(new URL('../docs/glossary.md', import.meta.url), glossaryMarkdown());

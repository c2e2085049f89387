/**
 * docker-compose.yml and the CI workflow must start the same EventStoreDB image, from the repository the
 * vendor documents (EventStoreDB 23.10-24.10: docker.eventstore.com/eventstore/eventstoredb-ee:X.Y.Z; KurrentDB
 * 25+: docker.kurrent.io/kurrent-latest/kurrentdb:X.Y.Z), pinned to a release. The former
 * `docker.eventstore.com/eventstore/eventstore:24.10` appears in none of the vendor's documents, so neither
 * `docker compose up` nor the workflow could pull it. No Docker engine here: this checks the files, not the pull.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const DOCUMENTED = /^(docker\.eventstore\.com\/eventstore\/eventstoredb-ee|docker\.kurrent\.io\/kurrent-latest\/kurrentdb):\d+\.\d+\.\d+$/;

function eventStoreImages(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*image:\s*['"]?([^\s'"]*(?:eventstore|kurrent)[^\s'"]*)/gm)].map((m) => m[1]);
}

describe('EventStoreDB image', () => {
  it('is one the vendor documents, pinned, and the same in docker-compose.yml and CI', () => {
    const compose = eventStoreImages('docker-compose.yml');
    const ci = eventStoreImages('.github/workflows/ci.yml');
    expect(compose).toHaveLength(1);
    expect(ci).toEqual(compose);
    expect(compose[0]).toMatch(DOCUMENTED);
  });
});

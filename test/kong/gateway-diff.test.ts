// `meshdoor diff` in DB-less mode, against what a real Kong 3.9.3 exported (GET /config).
import { expect } from 'chai';
import { diffDeclarativeExport, entitiesFromDeclarativeExport } from '../../src/kong/gateway-diff.ts';
import type { FlatEntity } from '../../src/kong/entities.ts';
import { kongEntityId } from '../../src/model/index.ts';
import { readRecording } from './recordings-dir.ts';

interface ContractCase { name: string; response: { body: { config?: string } } }

function recordedExport(): string {
  const cases = readRecording<{ cases: ContractCase[] }>('config-contract.traditional_compatible.json').cases;
  const text = cases.find((c) => c.name === 'config-get')?.response.body.config;
  if (typeof text !== 'string') throw new Error('config-get has no exported config');
  return text;
}

/** What meshdoor wants: the same entities, SNIs with the ids meshdoor derives from their names. */
function desiredFrom(exported: string, rename?: [string, string]): FlatEntity[] {
  return entitiesFromDeclarativeExport(exported).map((e) => {
    if (e.type !== 'snis') return e;
    const name = String(e.body['name']) === rename?.[0] ? rename[1] : String(e.body['name']);
    return { ...e, id: kongEntityId('snis', name), body: { ...e.body, name, id: kongEntityId('snis', name) } };
  });
}

describe('diff in DB-less mode', () => {
  it('matches SNIs by name: Kong gives nested SNIs a new random id on every load', () => {
    const exported = recordedExport();
    const snis = entitiesFromDeclarativeExport(exported).filter((e) => e.type === 'snis');
    expect(snis).to.have.length.greaterThan(0);
    expect(snis.every((e) => e.id !== kongEntityId('snis', String(e.body['name']))), 'the recorded ids are random').to.equal(true);
    const diff = diffDeclarativeExport(desiredFrom(exported), exported);
    expect(diff.changes.map((c) => `${c.action} ${c.entity.type}`)).to.deep.equal([]);
  });

  it('still shows an SNI whose name changed', () => {
    const exported = recordedExport();
    const [sni] = entitiesFromDeclarativeExport(exported).filter((e) => e.type === 'snis');
    const name = String(sni?.body['name']);
    const diff = diffDeclarativeExport(desiredFrom(exported, [name, 'renamed.example.com']), exported);
    expect(diff.changes.map((c) => `${c.action} ${c.entity.type} ${String(c.entity.body['name'])}`))
      .to.deep.equal(['create snis renamed.example.com', `delete snis ${name}`]);
  });
});

import { NodeGraphDataFrameFieldNames } from '@grafana/data';
import { EDGE_FIELD, isControlStatus, isEdgeMtlsState, NODE_FIELD } from './frames';

describe('frame contract', () => {
  it("names the Node Graph's fields as Grafana does", () => {
    const grafana = new Set<string>(Object.values(NodeGraphDataFrameFieldNames));
    for (const name of [...Object.values(NODE_FIELD), ...Object.values(EDGE_FIELD)]) {
      const prefix = /^(detail__|arc__)/.exec(name)?.[1];
      expect(grafana.has(prefix ?? name)).toBe(true);
    }
    expect([NODE_FIELD.arcErrors, EDGE_FIELD.mtls, EDGE_FIELD.rate]).toEqual(['arc__errors', 'detail__mtls', 'mainstat']);
  });

  it('tells a known control status and mTLS state from anything else', () => {
    expect(['pass', 'fail', 'no-evidence', 'unknown', 'toString', 1].map(isControlStatus)).toEqual([true, true, true, false, false, false]);
    expect(['mtls', 'partial', 'plaintext', 'unknown', 'MTLS', null].map(isEdgeMtlsState)).toEqual([true, true, true, true, false, false]);
  });
});

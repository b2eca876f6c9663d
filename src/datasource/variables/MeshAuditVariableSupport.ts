import { from, map, type Observable } from 'rxjs';
import { CustomVariableSupport, createDataFrame, FieldType, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { VariableQueryEditor } from './VariableQueryEditor';
import type { MeshAuditVariableQuery, ValueSource } from './model';

/** Dashboard variables (platforms, clusters, namespaces, services) through metricFindQuery. */
export class MeshAuditVariableSupport extends CustomVariableSupport<ValueSource, MeshAuditVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: ValueSource) {
    super();
  }

  query(request: DataQueryRequest<MeshAuditVariableQuery>): Observable<DataQueryResponse> {
    const target = request.targets[0];
    return from(this.datasource.metricFindQuery(target, { range: request.range, scopedVars: request.scopedVars })).pipe(
      map((values) => ({
        data: [
          createDataFrame({
            refId: target.refId,
            fields: [
              { name: 'text', type: FieldType.string, values: values.map((v) => v.text) },
              { name: 'value', type: FieldType.string, values: values.map((v) => String(v.value ?? v.text)) },
            ],
          }),
        ],
      }))
    );
  }
}

/**
 * Alloy `loki.process` stage blocks → the equivalent Promtail stage objects, so one evaluator runs
 * both configs and the two can be compared stage for stage. Only the stages and attributes our
 * configs use are accepted (names from the Alloy loki.process reference); anything else throws.
 */
import { type AlloyBlock, plain } from './alloy-syntax';
import type { Stage } from './promtail-pipeline';

const ATTRIBUTES: Record<string, { promtail: string; attrs: string[] }> = {
  'stage.regex': { promtail: 'regex', attrs: ['expression', 'source'] },
  'stage.json': { promtail: 'json', attrs: ['expressions', 'source', 'drop_malformed'] },
  'stage.template': { promtail: 'template', attrs: ['source', 'template'] },
  'stage.replace': { promtail: 'replace', attrs: ['expression', 'source', 'replace'] },
  'stage.output': { promtail: 'output', attrs: ['source'] },
  'stage.timestamp': { promtail: 'timestamp', attrs: ['source', 'format', 'fallback_formats', 'location', 'action_on_failure', 'action_on_duplicate_timestamp'] },
  'stage.labels': { promtail: 'labels', attrs: ['values'] },
  'stage.static_labels': { promtail: 'static_labels', attrs: ['values'] },
  'stage.label_keep': { promtail: 'labelallow', attrs: ['values'] },
  'stage.label_drop': { promtail: 'labeldrop', attrs: ['values'] },
  'stage.cri': { promtail: 'cri', attrs: [] },
  'stage.match': { promtail: 'match', attrs: ['selector', 'action', 'pipeline_name', 'drop_counter_reason'] },
};

export class AlloyStageError extends Error {}

function attributes(block: AlloyBlock): Record<string, unknown> {
  const spec = ATTRIBUTES[block.name];
  const out: Record<string, unknown> = {};
  for (const [name, value] of block.attributes) {
    if (!spec.attrs.includes(name)) {
      throw new AlloyStageError(`${block.name} has no attribute ${name}`);
    }
    if (value.type === 'expr') {
      throw new AlloyStageError(`${block.name}.${name}: expressions are not modelled (${value.text})`);
    }
    out[name] = plain(value);
  }
  return out;
}

function convert(block: AlloyBlock): Stage {
  const spec = ATTRIBUTES[block.name];
  if (!spec) {
    throw new AlloyStageError(`stage ${block.name} is not modelled`);
  }
  const a = attributes(block);
  switch (block.name) {
    case 'stage.match': {
      const nested = block.blocks.map(convert);
      return { match: { ...a, ...(nested.length > 0 ? { stages: nested } : {}) } };
    }
    case 'stage.labels':
      // Alloy's "" means "the extracted key of the same name", like an empty value in Promtail YAML.
      return { labels: Object.fromEntries(Object.entries(a.values as Record<string, string>).map(([k, v]) => [k, v === '' ? null : v])) };
    case 'stage.json':
      return {
        json: {
          ...a,
          expressions: Object.fromEntries(Object.entries(a.expressions as Record<string, string>).map(([k, v]) => [k, v === '' ? null : v])),
        },
      };
    case 'stage.timestamp': {
      // Alloy >= 1.17 shifts a repeated timestamp by 1 ns unless told to keep it; Promtail, and so
      // the evaluator, keeps it. Anything but "keep" would be a behaviour the evaluator hides.
      const { action_on_duplicate_timestamp: onDuplicate, ...rest } = a;
      if (onDuplicate !== 'keep') {
        throw new AlloyStageError('stage.timestamp needs action_on_duplicate_timestamp = "keep" (the default "fudge" moves repeated timestamps)');
      }
      return { timestamp: rest };
    }
    case 'stage.label_keep':
    case 'stage.label_drop':
    case 'stage.static_labels':
      return { [spec.promtail]: a.values };
    default:
      if (block.blocks.length > 0) {
        throw new AlloyStageError(`${block.name} takes no nested blocks`);
      }
      return { [spec.promtail]: a };
  }
}

/** The stages of a `loki.process` block, as Promtail stage objects. */
export function alloyProcessStages(process: AlloyBlock): Stage[] {
  return process.blocks.map(convert);
}

/** Promtail YAML spells "same name" as null, Alloy as ""; compare them as one. */
export function normaliseStages(stages: unknown): unknown {
  if (Array.isArray(stages)) {
    return stages.map(normaliseStages);
  }
  if (stages && typeof stages === 'object') {
    return Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, v === '' ? null : normaliseStages(v)]));
  }
  return stages;
}

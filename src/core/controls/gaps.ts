/**
 * The Trust Services Criteria this catalog does not evidence, each with the reason, so that a
 * report never leaves a gap unsaid (research: shared/research/soc2.md §1.2–1.4). Two kinds:
 * criteria mesh access logs cannot evidence at all (the evidence lives elsewhere, and where), and
 * criteria they could evidence that the catalog does not cover yet.
 */
export interface CriterionGap {
  /** One criterion or a range as the AICPA numbers them, e.g. `CC6.4` or `CC1.1–CC1.5`. */
  criteria: string;
  title: string;
  kind: 'not-from-access-logs' | 'not-yet-in-catalog';
  why: string;
}

export const CRITERIA_GAPS: readonly CriterionGap[] = [
  {
    criteria: 'CC1.1–CC3.4, CC4.2, CC5.1–CC5.3',
    title: 'Control environment, communication, risk assessment, communicating deficiencies, control activities',
    kind: 'not-from-access-logs',
    why: 'Governance and process criteria (COSO principles 1–12, except the ongoing evaluation of CC4.1 that the logging continuity control evidences): policies, board minutes, risk registers and reviews, not request logs.',
  },
  {
    criteria: 'CC6.2',
    title: 'Credential issuance and removal; changes to access by role',
    kind: 'not-from-access-logs',
    why: 'The events are identity changes (service accounts, certificates, RBAC bindings, AuthorizationPolicy edits): Kubernetes API audit logs and the identity provider hold them; an access log only shows identities being used. CC6.3-least-privilege evidences only that access outside the allow-list is refused, not how roles change.',
  },
  {
    criteria: 'CC6.4, CC6.5',
    title: 'Physical access and disposal of physical assets',
    kind: 'not-from-access-logs',
    why: 'Physical controls: data-centre and cloud-provider reports (their own SOC 2), not service logs.',
  },
  {
    criteria: 'CC7.4, CC7.5',
    title: 'Incident response and recovery',
    kind: 'not-from-access-logs',
    why: 'Incident records, containment actions and restore runs live in the incident tracker and backup tooling.',
  },
  {
    criteria: 'CC8.1',
    title: 'Change management',
    kind: 'not-from-access-logs',
    why: 'Changes and their approvals are in CI/CD, GitOps and Kubernetes audit logs; the mesh logs the traffic after a change, not the change.',
  },
  {
    criteria: 'CC9.1, CC9.2',
    title: 'Business disruption and vendor risk',
    kind: 'not-from-access-logs',
    why: 'Risk-management criteria, evidenced by assessments and contracts.',
  },
  {
    criteria: 'A1.3, PI1.1–PI1.5, P1–P8',
    title: 'Recovery tests, processing integrity, privacy',
    kind: 'not-from-access-logs',
    why: 'DR test records, application-level input/output validation and privacy notices are outside what a proxy records about a request.',
  },
  {
    criteria: 'CC7.3, CC2.1',
    title: 'Alert follow-up, log quality',
    kind: 'not-yet-in-catalog',
    why: 'Mesh access logs and Grafana could evidence these (anomalies followed by an alert or annotation, lines that fail to parse); the catalog does not measure them yet. Latency objectives (A1.1) are not measured either.',
  },
];

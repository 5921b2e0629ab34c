// The construct's CloudWatch dashboard and Logs Insights saved queries (`dashboard: false` leaves
// them out). The metric names come from src/model/metrics.ts, the log writer's own; template.yaml
// has the same dashboard and queries, and test/cdk/dashboard.test.ts checks both against the
// metrics a real invocation emits.
import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, Metric, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { type ILogGroup, LogGroup, QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRIC_DIMENSIONS, METRIC_NAMES, OUTCOMES } from '../model/metrics.js';

const PERIOD = Duration.minutes(5);

/**
 * The Logs Insights queries saved beside the dashboard, by the name they are saved under (after the
 * function's name). template.yaml saves the same texts (test/template.test.ts checks them).
 */
export const SAVED_QUERIES = {
  'refusals-by-code': {
    description: 'Refusals by code over time',
    lines: ['filter outcome = "refused"', 'stats count(*) as refusals by code, bin(5m)'],
  },
  'would-refuse-by-code': {
    description: 'What log-only rules would have refused, by code',
    lines: ['filter ispresent(wouldRefuse.0)', 'stats count(*) as signUps by wouldRefuse.0 as code, bin(1h)'],
  },
  'one-request': {
    description: "One request's line: replace REQUEST_ID with the request id",
    lines: ['fields @timestamp, level, outcome, code, rule, message', 'filter requestId = "REQUEST_ID"'],
  },
  'configuration-problems': {
    description: 'Configuration problems and warnings',
    lines: [
      'fields @timestamp, message, configProblems.0.variable, configProblems.0.expected, warnings.0',
      'filter code = "CONFIG_INVALID" or ispresent(configProblems.0) or ispresent(warnings.0)',
      'sort @timestamp desc',
    ],
  },
} as const;

/** A SEARCH of this function's metric by one dimension, one line per value the logs have given it. */
function searchBy(namespace: string, metric: string, dimensions: readonly string[], filter: string, label: string) {
  const schema = [namespace, ...dimensions].map((part) => `"${part}"`).join(',');
  return new MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${metric}"${filter}', 'Sum', ${String(PERIOD.toSeconds())})`,
    usingMetrics: {},
    label,
    period: PERIOD,
  });
}

/**
 * A dashboard for the function: sign-ups by outcome, refusals by code, what log-only rules would
 * refuse by code, lookup failures and throttled AWS calls, and the function's duration (p50, p99),
 * errors and throttles. Plus the saved queries.
 */
export function addDashboard(scope: Construct, fn: LambdaFunction, namespace: string): Dashboard {
  const ours = (metricName: string, dimensionsMap: Record<string, string> = {}, label?: string) =>
    new Metric({ namespace, metricName, dimensionsMap, statistic: 'Sum', period: PERIOD, ...(label ? { label } : {}) });
  const lambda = (metricName: string, statistic: string, label: string): IMetric =>
    fn.metric(metricName, { statistic, period: PERIOD, label });
  const { outcome, code } = METRIC_DIMENSIONS;
  const dashboard = new Dashboard(scope, 'Dashboard', { defaultInterval: Duration.days(1) });
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Sign-ups by outcome',
      left: OUTCOMES.map((value) => ours(METRIC_NAMES.signUps, { [outcome]: value }, value)),
      stacked: true,
      width: 12,
    }),
    new GraphWidget({
      title: 'Refusals by code',
      left: [searchBy(namespace, METRIC_NAMES.signUps, [outcome, code], ` ${outcome}="refused"`, '')],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Would refuse by code (LOG_ONLY_RULES)',
      left: [searchBy(namespace, METRIC_NAMES.wouldRefuse, [code], '', '')],
      width: 12,
    }),
    new GraphWidget({
      title: 'Lookup failures and throttled AWS calls',
      left: [ours(METRIC_NAMES.lookupFailures), ours(METRIC_NAMES.throttled)],
      width: 12,
    }),
  );
  dashboard.addWidgets(
    new GraphWidget({
      title: 'Duration',
      left: [lambda('Duration', 'p50', 'p50'), lambda('Duration', 'p99', 'p99')],
      width: 12,
    }),
    new GraphWidget({
      title: 'Errors and throttles',
      left: [lambda('Errors', 'Sum', 'errors'), lambda('Throttles', 'Sum', 'throttles')],
      width: 12,
    }),
  );
  // Lambda's own log group, by name: reading `fn.logGroup` would add a log-retention custom resource.
  const logGroups: ILogGroup[] = [
    LogGroup.fromLogGroupName(scope, 'FunctionLogGroup', `/aws/lambda/${fn.functionName}`),
  ];
  for (const [name, query] of Object.entries(SAVED_QUERIES)) {
    new QueryDefinition(scope, `Query-${name}`, {
      queryDefinitionName: `${fn.node.path.replaceAll('/', '-')}/${name}`,
      queryString: new QueryString(parse(query.lines)),
      logGroups,
    });
  }
  return dashboard;
}

/** A query's lines as QueryString's parts (each command where QueryString expects it). */
function parse(lines: readonly string[]) {
  const parts: { fields?: string[]; filterStatements: string[]; statsStatements: string[]; sort?: string } = {
    filterStatements: [],
    statsStatements: [],
  };
  for (const line of lines) {
    const [command = '', ...rest] = line.split(' ');
    const argument = rest.join(' ');
    if (command === 'fields') parts.fields = argument.split(', ');
    else if (command === 'filter') parts.filterStatements.push(argument);
    else if (command === 'stats') parts.statsStatements.push(argument);
    else if (command === 'sort') parts.sort = argument;
  }
  return parts;
}

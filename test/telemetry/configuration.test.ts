// The telemetry settings, read once at start from the standard OTEL_* variables and our own:
// a bad value stops the server naming the variable; the rest are read as the OpenTelemetry
// specification defines them.
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const telemetryOf = (env: Record<string, string>) => loadConfig(env).telemetry;

describe('refused at start, naming the variable and the value', () => {
  test.each([
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_TRACES_SAMPLER_ARG', '-0.1'],
    ['OTEL_TRACES_SAMPLER_ARG', 'half'],
    ['OTEL_SDK_DISABLED', 'maybe'],
    ['METRICS', 'yes please'],
    ['SLOW_OPERATION_MS', '-1'],
    ['SLOW_OPERATION_MS', 'slow'],
  ])('%s=%s', (name, value) => {
    const sampler = name === 'OTEL_TRACES_SAMPLER_ARG' ? { OTEL_TRACES_SAMPLER: 'traceidratio' } : {};
    const load = () => loadConfig({ ...sampler, [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`${name} must`);
    expect(load).toThrow(`"${value}"`);
  });

  test('an endpoint that is not http(s)', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT must start with http:// or https://',
    );
  });
});

test('the defaults: metrics on, slow past 1 s, no tracing', () => {
  expect(telemetryOf({})).toEqual({
    metrics: true,
    slowOperationMs: 1000,
    tracesUrl: null,
    serviceName: 'social-graphql',
    sampleRatio: 1,
    parentBased: true,
  });
});

test('METRICS=false and SLOW_OPERATION_MS are read as given', () => {
  expect(telemetryOf({ METRICS: 'false', SLOW_OPERATION_MS: '0' })).toMatchObject({ metrics: false, slowOperationMs: 0 });
});

describe('where traces go', () => {
  test('OTEL_EXPORTER_OTLP_ENDPOINT is a base: traces go to its /v1/traces', () => {
    expect(telemetryOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(telemetryOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector/otlp/' }).tracesUrl).toBe('https://collector/otlp/v1/traces');
  });

  test('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is the full URL, and wins', () => {
    const telemetry = telemetryOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom/path',
    });
    expect(telemetry.tracesUrl).toBe('http://traces:4318/custom/path');
  });

  test('OTEL_SDK_DISABLED=true turns tracing off whatever the endpoint', () => {
    expect(telemetryOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracesUrl).toBeNull();
  });
});

describe('how many traces are kept', () => {
  test.each([
    ['always_on', undefined, { sampleRatio: 1, parentBased: false }],
    ['always_off', undefined, { sampleRatio: 0, parentBased: false }],
    ['traceidratio', '0.25', { sampleRatio: 0.25, parentBased: false }],
    ['parentbased_traceidratio', '0', { sampleRatio: 0, parentBased: true }],
    ['parentbased_always_off', undefined, { sampleRatio: 0, parentBased: true }],
  ])('OTEL_TRACES_SAMPLER=%s (arg %s)', (sampler, arg, expected) => {
    expect(telemetryOf({ OTEL_TRACES_SAMPLER: sampler, ...(arg === undefined ? {} : { OTEL_TRACES_SAMPLER_ARG: arg }) })).toMatchObject(
      expected,
    );
  });

  test('a ratio sampler without OTEL_TRACES_SAMPLER_ARG keeps every trace, as the specification says', () => {
    expect(telemetryOf({ OTEL_TRACES_SAMPLER: 'traceidratio' }).sampleRatio).toBe(1);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderHelmTemplate, type TemplateScope } from './helm-template.ts';

const scope = (values: Record<string, unknown>): TemplateScope => ({
  Values: values,
  Chart: { Name: 'c', Version: '1.0.0+meta' },
  Release: { Name: 'r', Namespace: 'ns' },
});

describe('renderHelmTemplate', () => {
  test('if/else with whitespace trimming', () => {
    const src = 'a:\n{{- if .Values.on }}\n  on: yes\n{{- else }}\n  on: no\n{{- end }}\n';
    assert.equal(renderHelmTemplate(src, 't', scope({ on: true }), {}), 'a:\n  on: yes\n');
    assert.equal(renderHelmTemplate(src, 't', scope({}), {}), 'a:\n  on: no\n');
  });

  test('ternary/hasKey pick the specific value only when it is set', () => {
    const src = '{{- if (ternary .Values.x .Values.all (hasKey .Values "x")) }}on{{- end }}';
    assert.equal(renderHelmTemplate(src, 't', scope({ all: true }), {}), 'on');
    assert.equal(renderHelmTemplate(src, 't', scope({ all: true, x: false }), {}), '');
    assert.equal(renderHelmTemplate(src, 't', scope({ all: false, x: true }), {}), 'on');
  });

  test('fields, pipelines and include', () => {
    const src =
      'n: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }} {{.Release.Namespace}}\n{{ include "p" . }}';
    const out = renderHelmTemplate(src, 't', scope({ v: 'x' }), { p: 'p: {{ .Values.v | default "d" }}' });
    assert.equal(out, 'n: c-1.0.0_meta ns\np: x');
  });

  test('unsupported constructs are errors naming file and line', () => {
    assert.throws(
      () => renderHelmTemplate('a\n{{ range .Values.x }}{{ end }}', 'f.yaml', scope({}), {}),
      /f\.yaml:2: unsupported/,
    );
    assert.throws(
      () => renderHelmTemplate('{{ toYaml .Values }}', 'f.yaml', scope({}), {}),
      /unsupported template function "toYaml"/,
    );
    assert.throws(
      () => renderHelmTemplate('{{ include "nope" . }}', 'f.yaml', scope({}), {}),
      /unknown partial "nope"/,
    );
    assert.throws(() => renderHelmTemplate('{{ if .Values.a }}x', 'f.yaml', scope({}), {}), /unterminated/);
  });
});

{{/* Chart name, possibly overridden. */}}
{{- define "apikey-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name, or <release>-<chart> when the release name does not contain it. */}}
{{- define "apikey-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "apikey-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: stable across upgrades. */}}
{{- define "apikey-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "apikey-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Standard labels on every object. */}}
{{- define "apikey-operator.labels" -}}
helm.sh/chart: {{ include "apikey-operator.chart" . }}
{{ include "apikey-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: apikey-operator
{{- end }}

{{/* Extra labels on every alert of the PrometheusRule (prometheusRule.alertLabels), e.g. a team for routing. */}}
{{- define "apikey-operator.alertLabels" -}}
{{- with .Values.prometheusRule.alertLabels }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{- define "apikey-operator.serviceAccountName" -}}
{{- include "apikey-operator.fullname" . }}
{{- end }}

{{- define "apikey-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
RBAC rules for namespaced objects: granted by the ClusterRole when every namespace is watched, by one Role per
watched namespace otherwise. Never a wildcard.
*/}}
{{- define "apikey-operator.namespacedRules" -}}
# ApiKeys and namespaced providers: read and watch; update/patch to add and remove the operator's finalizer
# (it never changes spec).
- apiGroups: ["apikeyoperator.dev"]
  resources: ["apikeys", "apikeyproviders"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["apikeyoperator.dev"]
  resources: ["apikeys/status", "apikeyproviders/status"]
  verbs: ["get", "update", "patch"]
# The managed Secrets' ownerReferences set blockOwnerDeletion, which needs this where the
# OwnerReferencesPermissionEnforcement admission plugin is on.
- apiGroups: ["apikeyoperator.dev"]
  resources: ["apikeys/finalizers", "apikeyproviders/finalizers"]
  verbs: ["update"]
# The managed Secrets and key ledgers (created, restored, deleted), provider credentials (read).
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- if .Values.consumers.enabled }}
# status.consumers: the workloads whose pods mount or read a key's Secret (cached stripped, never changed
# without rolloutRestart).
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets", "daemonsets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["batch"]
  resources: ["cronjobs", "jobs"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
{{- end }}
{{- if .Values.rolloutRestart.enabled }}
# spec.rolloutRestartTargets and spec.restartConsumers: stamp the pod template (a CronJob's job template) with
# the new key's fingerprint when the key changes.
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets", "daemonsets"]
  verbs: ["get", "patch"]
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["get", "patch"]
{{- end }}
{{- end }}

{{/* RBAC rules for cluster-scoped objects: always granted by a ClusterRole. */}}
{{- define "apikey-operator.clusterScopedRules" -}}
- apiGroups: ["apikeyoperator.dev"]
  resources: ["clusterapikeyproviders"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["apikeyoperator.dev"]
  resources: ["clusterapikeyproviders/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["apikeyoperator.dev"]
  resources: ["clusterapikeyproviders/finalizers"]
  verbs: ["update"]
# Namespace labels decide which namespaces a ClusterApiKeyProvider serves (allowedNamespaces.selector).
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{/* Fails rendering on combinations that would break the operator's guarantees. */}}
{{- define "apikey-operator.validate" -}}
{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) }}
{{- fail "replicas > 1 needs leaderElection.enabled=true: two active operators would reconcile the same ApiKeys" }}
{{- end }}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.enabled) }}
{{- fail "metrics.serviceMonitor.enabled=true needs metrics.enabled=true (the ServiceMonitor scrapes the metrics Service)" }}
{{- end }}
{{- end }}

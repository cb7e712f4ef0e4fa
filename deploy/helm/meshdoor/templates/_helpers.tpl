{{/* Labels every object carries; the kustomize base sets the same part-of label. */}}
{{- define "meshdoor.labels" -}}
app.kubernetes.io/part-of: meshdoor
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Namespace of the Kong gateway Deployment. */}}
{{- define "meshdoor.gatewayNamespace" -}}
{{ .Values.gateway.namespace | default .Release.Namespace }}
{{- end -}}

{{- define "meshdoor.image" -}}
{{ printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end -}}

#!/usr/bin/env bash
# Builds the three services and their container images, with the names the Kubernetes manifests use
# (kubernetes/base/*/deployment.yaml): $IMAGE_REGISTRY/<service>:$IMAGE_TAG. With PUSH=true, pushes them too.
#
# Settings (environment): IMAGE_REGISTRY (ghcr.io/coalition-tracker), IMAGE_TAG (the project's version),
# CONTAINER_TOOL (docker; podman works the same), PUSH (false).
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(membership-service metrics-service reporting-service)
REGISTRY=${IMAGE_REGISTRY:-ghcr.io/coalition-tracker}
TOOL=${CONTAINER_TOOL:-docker}
TAG=${IMAGE_TAG:-$(./mvnw -q -B help:evaluate -Dexpression=project.version -DforceStdout)}

./mvnw -B -q package -DskipTests -pl "$(IFS=,; echo "${SERVICES[*]}")" -am
for service in "${SERVICES[@]}"; do
  image="$REGISTRY/$service:$TAG"
  "$TOOL" build -f deploy/container/Dockerfile.jvm --build-arg SERVICE="$service" -t "$image" .
  if [ "${PUSH:-false}" = true ]; then
    "$TOOL" push "$image"
  fi
  echo "built $image"
done

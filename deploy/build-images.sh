#!/usr/bin/env bash
# Builds the three services and their container images, with the names the Kubernetes manifests use
# (kubernetes/base/*/deployment.yaml): $IMAGE_REGISTRY/<service>:$IMAGE_TAG. With PUSH=true, pushes them too.
#
# Settings (environment): IMAGE_REGISTRY (ghcr.io/coalition-tracker), OVERLAY (dev or prod; the images are tagged
# as that overlay's images: list expects), IMAGE_TAG (to tag otherwise), CONTAINER_TOOL (docker; podman works the
# same), PUSH (false). With PUSH=true it prints each image's digest, for an overlay's images: (digest: sha256:...).
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(membership-service metrics-service reporting-service)
REGISTRY=${IMAGE_REGISTRY:-ghcr.io/coalition-tracker}
TOOL=${CONTAINER_TOOL:-docker}
OVERLAY=${OVERLAY:-dev}
TAG=${IMAGE_TAG:-$(sed -n 's/^ *newTag: *//p' "deploy/kubernetes/overlays/$OVERLAY/kustomization.yaml" | sort -u)}
if [ -z "$TAG" ] || [ "$(wc -l <<<"$TAG")" -ne 1 ]; then
  echo "build-images.sh: overlay $OVERLAY names no single tag; set IMAGE_TAG" >&2
  exit 1
fi

./mvnw -B -q package -DskipTests -pl "$(IFS=,; echo "${SERVICES[*]}")" -am
for service in "${SERVICES[@]}"; do
  image="$REGISTRY/$service:$TAG"
  "$TOOL" build -f deploy/container/Dockerfile.jvm --build-arg SERVICE="$service" -t "$image" .
  if [ "${PUSH:-false}" = true ]; then
    "$TOOL" push "$image"
    echo "$image pushed: $("$TOOL" image inspect --format '{{index .RepoDigests 0}}' "$image")"
  fi
  echo "built $image"
done

#!/usr/bin/env bash
# Builds the three services and their container images, with the names the Kubernetes manifests use
# (kubernetes/base/*/deployment.yaml): $IMAGE_REGISTRY/<service>:<tag>.
#
# By default with Jib, through Quarkus' extension (BUILDER=jib): no Docker daemon and no Dockerfile. Jib pushes each
# image straight to the registry, with the credentials of ~/.docker/config.json or a credential helper, or
# QUARKUS_CONTAINER_IMAGE_USERNAME and QUARKUS_CONTAINER_IMAGE_PASSWORD. The image has the base image and user of
# container/Dockerfile.jvm (root pom.xml) and the JVM options of container/jvm.env (passed below).
# BUILDER=docker (or podman) builds container/Dockerfile.jvm into that tool's local images instead; PUSH=true pushes.
#
# Settings (environment): IMAGE_REGISTRY (ghcr.io/coalition-tracker: a registry and a path in it), OVERLAY (dev or
# prod; the images are tagged as that overlay's images: list expects), IMAGE_TAG (to tag otherwise), BUILDER (jib).
# It prints each pushed image's digest, to pin in an overlay's images: (digest: sha256:...).
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(membership-service metrics-service reporting-service)
REGISTRY=${IMAGE_REGISTRY:-ghcr.io/coalition-tracker}
BUILDER=${BUILDER:-jib}
OVERLAY=${OVERLAY:-dev}
TAG=${IMAGE_TAG:-$(sed -n 's/^ *newTag: *//p' "deploy/kubernetes/overlays/$OVERLAY/kustomization.yaml" | sort -u)}
if [ -z "$TAG" ] || [ "$(wc -l <<<"$TAG")" -ne 1 ]; then
  echo "build-images.sh: overlay $OVERLAY names no single tag; set IMAGE_TAG" >&2
  exit 1
fi
modules=$(IFS=,; echo "${SERVICES[*]}")

if [ "$BUILDER" = jib ]; then
  if [[ "$REGISTRY" != */* ]]; then
    echo "build-images.sh: IMAGE_REGISTRY names a registry and a path in it (registry.example.org/coalition)" >&2
    exit 1
  fi
  # jvm.env as the Dockerfile's image has it. Jib's image also starts with the base image's run-java.sh: it takes
  # JAVA_OPTS_APPEND from the JVM arguments, and the other variables (GC_CONTAINER_OPTIONS, MALLOC_ARENA_MAX) go into the
  # image's environment.
  # shellcheck disable=SC1091 # the repository's file
  . deploy/container/jvm.env
  environment=()
  for name in $(sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' deploy/container/jvm.env); do
    [ "$name" = JAVA_OPTS_APPEND ] || environment+=("-Dquarkus.jib.environment-variables.$name=${!name}")
  done
  ./mvnw -B -q package -DskipTests -pl "$modules" -am \
    -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
    -Dquarkus.container-image.registry="${REGISTRY%%/*}" -Dquarkus.container-image.group="${REGISTRY#*/}" \
    -Dquarkus.container-image.tag="$TAG" -Dquarkus.jib.jvm-arguments="$JAVA_OPTS_APPEND" "${environment[@]}"
  for service in "${SERVICES[@]}"; do
    echo "$REGISTRY/$service:$TAG pushed: $REGISTRY/$service@$(cat "$service/target/jib-image.digest")"
  done
  exit 0
fi

./mvnw -B -q package -DskipTests -pl "$modules" -am
for service in "${SERVICES[@]}"; do
  image="$REGISTRY/$service:$TAG"
  "$BUILDER" build -f deploy/container/Dockerfile.jvm --build-arg SERVICE="$service" -t "$image" .
  if [ "${PUSH:-false}" = true ]; then
    "$BUILDER" push "$image"
    echo "$image pushed: $("$BUILDER" image inspect --format '{{index .RepoDigests 0}}' "$image")"
  fi
  echo "built $image"
done

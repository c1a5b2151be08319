#!/usr/bin/env bash
# Prints a development bearer token for the local run: role publisher (or the roles given as arguments), valid for
# 12 hours, signed with the key pair deploy/local/start.sh made in $COALITION_HOME/jwt. Usage:
#   TOKEN=$(deploy/local/token.sh)
#   curl -H "Authorization: Bearer $TOKEN" ...
set -euo pipefail

STATE=${COALITION_HOME:-$HOME/.coalition-tracker}
KEY="$STATE/jwt/privateKey.pem"
[ -f "$KEY" ] || { echo "token.sh: no key in $KEY; run deploy/local/start.sh first" >&2; exit 1; }

roles=("${@:-publisher}")
groups=$(printf '"%s",' "${roles[@]}")
now=$(date +%s)
base64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

header=$(printf '{"alg":"RS256","typ":"JWT"}' | base64url)
claims=$(printf '{"iss":"https://coalition-tracker.org/development","aud":"%s","sub":"%s","upn":"%s","iat":%d,"exp":%d,"groups":[%s]}' \
  "${MEMBERSHIP_JWT_AUDIENCE:-https://coalition-tracker.org/membership}" "$(id -un)-local" "$(id -un)-local" "$now" \
  $((now + 12 * 3600)) "${groups%,}" | base64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$KEY" -binary | base64url)
printf '%s.%s.%s\n' "$header" "$claims" "$signature"

#!/usr/bin/env bash
# Admin: the users search (GET /api/admin/users?q=) over USERS users and the audit log (GET /api/admin/audit) over
# AUDIT entries (defaults 1,000,000 each), made with generate_series in a scratch PostgreSQL after the Api migrated
# it. Each Api query is asked REQUESTS times (default 200) one after the other with an admin's token; prints p50/p95
# per query (target: p95 < 100 ms), then each query's plan (EXPLAIN ANALYZE) and its median execution time against
# the same query with index and bitmap scans turned off (a sequential scan: the baseline), and the ratio.
set -euo pipefail

# One benchmark at a time on this machine: the others take the same lock.
if [ -z "${NIO_BENCH_LOCKED:-}" ]; then
  exec env NIO_BENCH_LOCKED=1 flock -o /tmp/nio-bench.lock "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
USERS=${USERS:-1000000}
AUDIT=${AUDIT:-1000000}
REQUESTS=${REQUESTS:-200}
RUNS=${RUNS:-5}
PG_PORT=${PG_PORT:-15735}
API_PORT=${API_PORT:-15210}
ADMIN_EMAIL=bench-admin@example.com ADMIN_PASSWORD=bench-admin-password-1

work=$(mktemp -d /tmp/nio-bench-admin.XXXXXX)
chmod 755 "$work" # the private PostgreSQL cluster (run as the postgres user when root) lives inside
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap 'bench_cleanup; "$ROOT/nio" db stop "$work/db" >/dev/null 2>&1' EXIT

"$ROOT/nio" install "command -v psql:postgresql-client" "command -v curl:curl"
url=$("$ROOT/nio" db start "$work/db" "$PG_PORT")
psql_() { psql "$url" -v ON_ERROR_STOP=1 -qAt "$@"; }

dotnet build "$ROOT/Api" -c Release -o "$work/api" >"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; exit 1; }
# The Api migrates the database and creates the admin account as it starts.
env NIO_DATABASE_URL="$url" PORT=$API_PORT NIO_API_INTERNAL_PORT=$((API_PORT + 10)) NIO_DATA_DIR="$work/data" \
  NIO_ADMIN_EMAIL=$ADMIN_EMAIL NIO_ADMIN_PASSWORD=$ADMIN_PASSWORD Jobs__RunServer=false Logging__LogLevel__Default=Warning \
  dotnet "$work/api/Nio.Api.dll" >"$work/api.log" 2>&1 &
bench_pids+=($!)
api=http://127.0.0.1:$API_PORT
bench_wait_for "$api/healthz"

echo "admin: filling $USERS users and $AUDIT audit entries"
start=$(date +%s)
psql_ <<SQL
INSERT INTO users (id, email, email_normalized, password_hash, display_name, created_at)
SELECT gen_random_uuid(), 'U' || i || '@bench.test', 'u' || i || '@bench.test', '',
       initcap((ARRAY['ka','li','mo','ra','sen','ta','vi','no','el','dar','mi','zu','fen','ol','bri','ax'])[1 + (hashint4(i) & 15)]
            || (ARRAY['ka','li','mo','ra','sen','ta','vi','no','el','dar','mi','zu','fen','ol','bri','ax'])[1 + (hashint4(i * 7) & 15)]
            || (ARRAY['','ka','li','mo','ra','sen','ta','vi','no','el','dar','mi','zu','fen','ol','bri'])[1 + (hashint4(i * 13) & 15)]) || (i % 1000),
       now() - i * interval '1 second'
FROM generate_series(1, $USERS) i;

-- 50 operators; each entry targets one of the users, most actions are user actions.
CREATE TEMP TABLE targets AS SELECT row_number() OVER () AS n, id FROM (SELECT id FROM users ORDER BY created_at LIMIT 100000) t;
CREATE TEMP TABLE operators AS SELECT row_number() OVER () AS n, id FROM (SELECT id FROM users ORDER BY created_at DESC LIMIT 50) o;
INSERT INTO audit_log (actor_id, action, target_type, target_id, reason, before, after, details, created_at)
SELECT o.id,
       (ARRAY['user.ban','user.unban','user.coins.adjust','chat.message.delete','chat.user.timeout','stream.end','withdrawal.approve','gift.update'])[1 + (i % 8)],
       'user', t.id::text, 'bench reason ' || i, '{"banned": false}', '{"banned": true}', '{}', now() - i * interval '1 second'
FROM generate_series(1, $AUDIT) i
JOIN targets t ON t.n = 1 + (i % 100000)
JOIN operators o ON o.n = 1 + (i % 50);
SQL
psql_ -c "VACUUM ANALYZE users" -c "VACUUM ANALYZE audit_log"
echo "admin: filled in $(( $(date +%s) - start )) s"

token=$(curl -fsS -X POST "$api/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
some_user=$(psql_ -c "SELECT id FROM users WHERE email_normalized = 'u777777@bench.test'")
target=$(psql_ -c "SELECT target_id FROM audit_log ORDER BY id DESC OFFSET 5000 LIMIT 1")
operator=$(psql_ -c "SELECT actor_id FROM audit_log ORDER BY id DESC LIMIT 1")

# p50 and p95 (ms) of REQUESTS sequential requests to the Api path $1.
percentiles() {
  local path=$1 i
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$api$path" # warm-up, and fail loudly on an error
  for ((i = 0; i < REQUESTS; i++)); do
    curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$api$path"
  done | sort -g | awk '{ a[NR] = $1 * 1000 } END { printf "%8.1f %8.1f", a[int(NR * 0.5)], a[int(NR * 0.95)] }'
}

echo
printf '%-58s %8s %8s\n' "Api request ($REQUESTS each)" "p50 ms" "p95 ms"
for path in "/api/admin/users?q=u777777@bench.test" "/api/admin/users?q=u77777" "/api/admin/users?q=sentaka" \
            "/api/admin/users?q=$some_user" "/api/admin/users" \
            "/api/admin/audit" "/api/admin/audit?targetType=user&targetId=$target" "/api/admin/audit?actorId=$operator" \
            "/api/admin/audit?action=user." "/api/admin/audit?from=$(date -u -d '-2 hours' +%FT%TZ)&to=$(date -u -d '-1 hour' +%FT%TZ)"; do
  printf '%-58s %s\n' "${path:0:58}" "$(percentiles "$path")"
done

# The Api's queries with values bound (UserRepository.AdminSearchSql, AuditLog.FilterSql), for the plans.
users_query() {
  local where=$1
  echo "SELECT u.id, u.email, u.display_name, u.roles, u.created_at, u.banned_at FROM users u WHERE $where ORDER BY u.created_at DESC, u.id DESC LIMIT 20"
}
audit_query() {
  local where=$1
  echo "SELECT a.*, u.display_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE $where ORDER BY a.id DESC LIMIT 20"
}
median_ms() {
  local settings=$1 query=$2 i
  for ((i = 0; i < RUNS; i++)); do
    psql_ -c "$settings" -c "EXPLAIN (ANALYZE, FORMAT TEXT) $query" | sed -nE 's/^Execution Time: ([0-9.]+) ms$/\1/p'
  done | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

echo
printf '%-40s %10s %12s %8s\n' "query" "index ms" "seq scan ms" "ratio"
queries=(
  "users email prefix|$(users_query "u.email_normalized LIKE 'u777777@%'")"
  "users name part|$(users_query "lower(u.display_name COLLATE \"und-x-icu\") LIKE lower('%sentaka%' COLLATE \"und-x-icu\")")"
  "users newest|$(users_query "true")"
  "audit newest|$(audit_query "true")"
  "audit by target|$(audit_query "a.target_type = 'user' AND a.target_id = '$target'")"
  "audit by operator|$(audit_query "a.actor_id = '$operator'")"
  "audit by action prefix|$(audit_query "a.action LIKE 'user.%'")"
)
for spec in "${queries[@]}"; do
  name=${spec%%|*} query=${spec#*|}
  indexed=$(median_ms "SET enable_seqscan = on" "$query")
  scanned=$(median_ms "SET enable_bitmapscan = off; SET enable_indexscan = off; SET enable_indexonlyscan = off" "$query")
  printf '%-40s %10.1f %12.1f %7.1fx\n' "$name" "$indexed" "$scanned" "$(awk -v s="$scanned" -v i="$indexed" 'BEGIN { print s / i }')"
done

echo
for spec in "${queries[@]}"; do
  echo "== ${spec%%|*}"
  psql_ -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${spec#*|}"
done

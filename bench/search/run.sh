#!/usr/bin/env bash
# Search: the query behind GET /api/search on USERS users (default 1,000,000) and STREAMS streams (200,000), made
# with generate_series in a scratch PostgreSQL (`./nio db start`, the Api's migrations applied). Each query runs
# RUNS times (default 5) under EXPLAIN ANALYZE through the pg_trgm GIN indexes, then as many times with bitmap and
# index scans turned off (a sequential scan: the baseline); prints the median execution times and the ratio.
set -euo pipefail

# One benchmark at a time on this machine: the others take the same lock.
if [ -z "${NIO_BENCH_LOCKED:-}" ]; then
  exec env NIO_BENCH_LOCKED=1 flock -o /tmp/nio-bench.lock "$0" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
USERS=${USERS:-1000000}
STREAMS=${STREAMS:-200000}
RUNS=${RUNS:-5}
PG_PORT=${PG_PORT:-15734}

work=$(mktemp -d /tmp/nio-bench-search.XXXXXX)
chmod 755 "$work" # the private PostgreSQL cluster (run as the postgres user when root) lives inside
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap '"$ROOT/nio" db stop "$work/db" >/dev/null 2>&1; bench_cleanup' EXIT

"$ROOT/nio" install "command -v psql:postgresql-client"
url=$("$ROOT/nio" db start "$work/db" "$PG_PORT")
psql_() { psql "$url" -v ON_ERROR_STOP=1 -qAt "$@"; }

for migration in "$ROOT"/Api/Database/Migrations/*.sql; do
  psql_ -1 -f "$migration" >/dev/null
done

echo "search: filling $USERS users and $STREAMS streams (names and titles from syllables and words, some Cyrillic)"
start=$(date +%s)
psql_ <<SQL
-- Display names of 2-4 syllables (a tenth of them Cyrillic) with a number, like people pick.
INSERT INTO users (id, email, email_normalized, password_hash, display_name, created_at)
SELECT gen_random_uuid(), 'u' || i || '@bench.test', 'u' || i || '@bench.test', '',
       CASE WHEN i % 10 = 0
            THEN initcap((ARRAY['ва','ли','са','ро','ма','ни','ко','та','ле','ша','ми','ра','до','ки','на','бо'])[1 + (hashint4(i) & 15)]
                 || (ARRAY['ва','ли','са','ро','ма','ни','ко','та','ле','ша','ми','ра','до','ки','на','бо'])[1 + (hashint4(i * 7) & 15)]
                 || (ARRAY['ва','ли','са','ро','ма','ни','ко','та','ле','ша','ми','ра','до','ки','на','бо'])[1 + (hashint4(i * 13) & 15)])
            ELSE initcap((ARRAY['ka','li','mo','ra','sen','ta','vi','no','el','dar','mi','zu','fen','ol','bri','ax'])[1 + (hashint4(i) & 15)]
                 || (ARRAY['ka','li','mo','ra','sen','ta','vi','no','el','dar','mi','zu','fen','ol','bri','ax'])[1 + (hashint4(i * 7) & 15)]
                 || (ARRAY['','ka','li','mo','ra','sen','ta','vi','no','el','dar','mi','zu','fen','ol','bri'])[1 + (hashint4(i * 13) & 15)])
       END || (i % 1000),
       now() - i * interval '1 second'
FROM generate_series(1, $USERS) i;

-- One stream per streamer (the first STREAMS users): 5 % live, 10 % ended, the rest offline.
INSERT INTO streams (id, owner_id, title, status, key_hash, viewer_count, ended_at, started_at)
SELECT gen_random_uuid(), u.id,
       (ARRAY['Speedrun','Chill','Late night','Morning','Ranked','Cooking','Coding','Music','Just chatting','Art',
              'Retro','Horror','Стрим','Вечерний','Играем','Готовим'])[1 + (hashint4(n::int) & 15)]
       || ' ' || (ARRAY['marathon','session','grind','vibes','challenge','practice','party','talk','jam','build',
                        'sketch','tour','игры','разговоры','музыка','челлендж'])[1 + (hashint4(n::int * 7) & 15)]
       || ' #' || n,
       CASE WHEN n % 20 = 0 THEN 'live' WHEN n % 10 = 1 THEN 'ended' ELSE 'offline' END,
       CASE WHEN n % 10 = 1 THEN NULL ELSE sha256(convert_to(n::text, 'UTF8')) END,
       CASE WHEN n % 20 = 0 THEN n % 500 ELSE 0 END,
       CASE WHEN n % 10 = 1 THEN now() END,
       CASE WHEN n % 20 = 0 THEN now() END
FROM (SELECT id, row_number() OVER (ORDER BY created_at DESC) AS n FROM users) u
WHERE n <= $STREAMS;
SQL
psql_ -c "VACUUM ANALYZE users" -c "VACUUM ANALYZE streams" # also empties the GIN pending lists
echo "search: filled in $(( $(date +%s) - start )) s"

# The Api's queries (StreamRepository.SearchSql, UserRepository.SearchSql) with the values bound.
streams_query() {
  local q=$1 pattern=$2
  cat <<SQL
SELECT s.id, s.owner_id, u.display_name AS owner_display_name, u.avatar_url AS owner_avatar_url,
       s.title, s.status, s.record, s.viewer_count, s.thumbnail_url, s.created_at, s.started_at, s.ended_at, s.recorded_at
FROM streams s JOIN users u ON u.id = s.owner_id
WHERE s.status <> 'ended'
  AND lower(s.title COLLATE "und-x-icu") LIKE lower('$pattern' COLLATE "und-x-icu")
ORDER BY s.status = 'live' DESC,
         similarity(lower(s.title COLLATE "und-x-icu"), lower('$q' COLLATE "und-x-icu")) DESC,
         s.viewer_count DESC, s.created_at DESC, s.id
LIMIT 20
SQL
}
people_query() {
  local q=$1 pattern=$2
  cat <<SQL
SELECT u.id, u.display_name, u.avatar_url, u.bio,
       (SELECT count(*) FROM follows f WHERE f.followee_id = u.id) AS follower_count,
       s.id IS NOT NULL AS live, s.id AS live_stream_id
FROM users u LEFT JOIN streams s ON s.owner_id = u.id AND s.status = 'live'
WHERE u.banned_at IS NULL
  AND lower(u.display_name COLLATE "und-x-icu") LIKE lower('$pattern' COLLATE "und-x-icu")
ORDER BY similarity(lower(u.display_name COLLATE "und-x-icu"), lower('$q' COLLATE "und-x-icu")) DESC,
         follower_count DESC, u.created_at, u.id
LIMIT 20
SQL
}

# Median "Execution Time" (ms) of RUNS runs of EXPLAIN ANALYZE; $1: settings to apply first, $2: the query.
median_ms() {
  local settings=$1 query=$2 i
  for ((i = 0; i < RUNS; i++)); do
    psql_ -c "$settings" -c "EXPLAIN (ANALYZE, FORMAT TEXT) $query" | sed -nE 's/^Execution Time: ([0-9.]+) ms$/\1/p'
  done | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

printf '%-34s %10s %12s %8s %10s\n' "query" "index ms" "seq scan ms" "ratio" "index used"
for spec in "streams|speedrun|streams_title_trgm" "streams|night ma|streams_title_trgm" "streams|вечерн|streams_title_trgm" \
            "people|senta|users_display_name_trgm" "people|brika|users_display_name_trgm" "people|ромаша|users_display_name_trgm"; do
  IFS='|' read -r kind q index <<<"$spec"
  query=$("${kind}_query" "$q" "%$q%")
  indexed=$(median_ms "SET enable_seqscan = on" "$query")
  scanned=$(median_ms "SET enable_bitmapscan = off; SET enable_indexscan = off" "$query")
  used=$(psql_ -c "EXPLAIN $query" | grep -q "$index" && echo yes || echo no)
  printf '%-34s %10.1f %12.1f %7.1fx %10s\n' "$kind \"$q\"" "$indexed" "$scanned" "$(awk -v s="$scanned" -v i="$indexed" 'BEGIN { print s / i }')" "$used"
done

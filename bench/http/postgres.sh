# Sourced by the bench scripts: a throw-away PostgreSQL cluster (demo and production databases) for `keelson serve`.
#   start_postgres DATA_DIR PORT   — initdb, start, create the databases, export ConnectionStrings__Demo/Production
#   stop_postgres DATA_DIR         — immediate stop (what a crash or an outage looks like to the server)
#   resume_postgres DATA_DIR PORT  — start the same cluster again
# Needs root (initdb and the server run as the postgres user).
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

resume_postgres() {
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$1/pg" -l "$1/pg.log" -w \
    -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}

stop_postgres() {
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$1/pg" -m immediate stop >/dev/null 2>&1 || true
}

start_postgres() {
  chown postgres "$1"
  runuser -u postgres -- "$pgbin/initdb" -D "$1/pg" -U keelson -A trust -E UTF8 --no-sync >/dev/null
  resume_postgres "$1" "$2"
  for db in keelson_demo keelson_production; do runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$2" -U keelson "$db"; done
  export ConnectionStrings__Demo="Host=127.0.0.1;Port=$2;Username=keelson;Database=keelson_demo"
  export ConnectionStrings__Production="Host=127.0.0.1;Port=$2;Username=keelson;Database=keelson_production"
}

using System.Text;

namespace Normalization.Reliability;

public sealed class Report
{
    readonly StringBuilder _sb = new();
    public void Line(string s) => _sb.AppendLine(s);
    public void Section(string title, bool ok) { _sb.AppendLine().AppendLine($"### {title} — {(ok ? "PASS" : "FAIL")}").AppendLine(); }
    public void Table(string[] header, IEnumerable<string[]> rows)
    {
        _sb.AppendLine("| " + string.Join(" | ", header) + " |");
        _sb.AppendLine("|" + string.Join("|", header.Select(_ => "---")) + "|");
        foreach (var r in rows) _sb.AppendLine("| " + string.Join(" | ", r.Select(c => c.Replace("|", "\\|"))) + " |");
    }
    public override string ToString() => _sb.ToString();

    /// <summary>docs/reliability.md: the fixed parts (what is tested where, timeouts, grants) and this run's figures.</summary>
    public static string Document(string run, IReadOnlyList<string> failures) => $$"""
        # Reliability and security

        How the product is attacked to show that an analyst's record stays complete and exact under load, faults and bad input, and that
        no one writes without a key (issue 10). Everything runs against the real app and a real PostgreSQL, on 127.0.0.1 only, bounded in count and time.

        | # | what | where | run |
        |---|---|---|---|
        | 1 | 32 concurrent writers on one negotiation, expectedVersion, retry on 409 | `tests/Normalization.Api.Tests/Reliability/ConcurrentWritersTests.cs` | `dotnet test` (10 s) |
        | 2 | the same batches re-sent concurrently and after client time-outs | `…/Reliability/RetryTests.cs` | `dotnet test` |
        | 3 | PostgreSQL stopped (`pg_ctl stop -m immediate`) mid-load, restarted | `tests/Normalization.Reliability` | long run |
        | 4 | API process SIGKILLed mid-load, restarted | `tests/Normalization.Reliability` | long run |
        | 5b | fuzz generated from the contract: every catalog type × field × hostile class (posted, what-if, scenarios, NDJSON and CSV imports), every query parameter and path id of `/openapi/v1.json`, every CLI option | `…/Reliability/ContractFuzzTests.cs`, `Fuzz/ContractCases.cs`, `Fuzz/QueryCases.cs`, `Commands/CliOptionRulesTests.cs` | `dotnet test` (≈ 15 s) |
        | 5 | seeded bad-input corpus over every endpoint + broken import files | `…/Reliability/Fuzz/Corpus.cs`, `FuzzTests.cs` (1,200 requests, 60 files); long run (10,000 requests, import CLI) | both |
        | 6 | keys (endpoints enumerated from `/openapi/v1.json`), logs, 429, 413, no internals, headers, CORS, 503 when the database is away | `…/Reliability/SecurityTests.cs` | `dotnet test` |
        | 7 | soak: mixed reads, writes, time travel, what-if; RSS sampled every 10 s | `tests/Normalization.Reliability` | long run |

        Fast parts: `dotnet test tests/Normalization.Api.Tests --filter FullyQualifiedName~Reliability` (each test well under 60 s).
        Long parts, which write this file:

        ```
        dotnet run -c Release --project tests/Normalization.Reliability -- --all                    # 10-minute soak, 10,000 fuzz requests
        dotnet run -c Release --project tests/Normalization.Reliability -- --all --soak-minutes 2   # shorter
        dotnet run -c Release --project tests/Normalization.Reliability -- --only db,crash
        ```

        The long run makes a throwaway PostgreSQL cluster of its own (`initdb` into a temp folder, its own loopback port, run as the `postgres`
        OS user when started as root) so stopping it never disturbs the private cluster or other tests, starts the built API (`src/Normalization.Api/bin/<config>/…/Normalization.Api.dll`,
        Production environment, its schema applied first with `db-apply` as a deploy does) on a free loopback port, and removes both at the end.

        Figures of the fast parts on this 2-core machine (shared with other jobs), from `dotnet test --logger "console;verbosity=normal"`:

        - 1 concurrent writers: 32 clients × 10 s → 531 posts, 504 answered 409 and were re-sent with the new version, 49 events acknowledged = 49 stored,
          each once; nothing unacknowledged stored; stream version, index rows and the read model (head and checkpoints on 5 days) equal a fresh fold.
        - 2 retries: 40 batches × 5 events, 360 posts (each batch 4–10 times, 60 cut by a 1–40 ms client time-out) → 200 events, each once; the last 160 re-sends changed nothing.
        - 5 fuzz: 1,200 requests → 400 ×993, 404 ×90, 413 ×47, 415 ×70; 0 5xx, 0 accepted, no row changed; 60 broken import files all refused whole.
        - 6 security: every write endpoint found in `/openapi/v1.json` (9 today: each POST, PUT and DELETE), each refused with 401 for a missing, wrong, padded and upper-cased key;
          429 + Retry-After after the burst (1/s, burst 2 in a dedicated host) while another key still passes, and a client presenting a new made-up key each time is limited as one client (the bucket is the valid key's name, else the client address); 413 with and without Content-Length;
          CSP `script-src 'self'` without `unsafe-inline`, nosniff, `frame-ancestors 'none'` on `/`, `/negotiations/{id}` and the API; CORS preflight
          answered without `Access-Control-Allow-Origin` unless the origin is configured; no key (or its hash) in any captured log line or answer.

        ## Guarantees and the fixes that made them hold

        - **Database unavailable → 503, never 500 or a hang.** Any request that fails because PostgreSQL is down, restarting or unreachable
          (Npgsql transient errors, refused/broken connections, SQLSTATE 08xxx / 57P0x / 53xxx, time-outs) answers
          `503` `application/problem+json` with `code: database_unavailable` and `Retry-After: 5` (`Http/DatabaseUnavailable.cs`). Before, these
          were unhandled and answered 500. Any other unhandled error answers a bare 500 ProblemDetails with only a trace id, in every environment.
          Regression test: `SecurityTests.Regression_Given_the_database_does_not_answer_…`.
        - **Documented time-out:** a request waits at most **10 s** for the database (`MartenSetup.RequestWaitBoundSeconds`), then
          answers 503 `database_unavailable` with `Retry-After: 5`, and its `detail` names the cause: `…the database did not answer in time (a request
          waits at most 10 s for it)…` or `…could not be reached (connection refused or lost)…`. A stopped server refuses at once: 503 in well under a second.
          A server that stops answering without refusing (its processes stopped with SIGSTOP, a frozen host, a network partition)
          costs the whole bound: connecting waits at most 3 s (`ConnectTimeoutSeconds`, the connection string's `Timeout` is capped
          to it; also the longest wait for a free pooled connection), each command of an app node's request pool at most 4 s
          (`RequestCommandTimeoutSeconds`), and Npgsql's cancel request to the silent server then takes twice the connect
          time-out (measured) — 4 + 2 × 3 = 10 s (`FrozenDatabaseTests`, through `FreezableProxy`; an operator trial measured
          41–44 s before: Npgsql's 30 s command time-out plus 2 × 5 s; with PostgreSQL's processes SIGSTOPped under a
          built app node afterwards: a read on a pooled connection 10.0 s, a write that opened a connection 3.0 s, `/health` 3.0 s). A request that waits on a lock held by a long import or rebuild
          (of the same negotiation, in this process or another; for a create, a rebuild of the party profiles, `ProfileRebuildLock`) is told so by the server instead: an app node's request pool sets
          PostgreSQL's `lock_timeout` to 3 s (`RequestLockTimeoutMilliseconds`, a startup option of its connections, below the 4 s
          command bound), so such a write answers 503 `negotiation_busy` with `Retry-After: 5` after 3 s, nothing of it stored
          (`BusyNegotiationTests`; found after the 4 s bound made it 503 `database_unavailable`, "did not answer in time", from a
          database that was answering — before the bound it waited up to 30 s). A shorter hold is waited out. Work that may legitimately run for minutes does not
          take the request pool: bulk imports (the `import` command and `POST …/imports`), rebuilds and a late event's deferred
          checkpoints run on the long-work pool (`LongWork`, 8 of the 40 connections) with Npgsql's 30 s command time-out and their
          COPYs' own 30 minutes (an import's or the seed's wait for a rebuild of the party profiles has no limit), and the command line (`import`, `rebuild`, `projections rebuild`, `db-apply`) keeps the 30 s
          on both pools. `/health` answers within 3 s (`Unhealthy`, HTTP 503) while the database is away
          (`HealthUnderFrozenDatabaseTests`), and the API recovers by itself when it is back (no restart).
        - **An outage logs a few readable lines, not stack traces.** The framework's background loops (Wolverine's node agents,
          heartbeat, durability agent and database control queue; Marten; JasperFx) retry on their own and used to log an Error with a
          stack trace on every attempt: 79 lines in 10 s of a stopped database, 72 of them theirs. Now each such category logs one
          Warning, `Database unavailable: <cause> (<what failed>; retried in the background, not logged again for 60 s)`, at most
          once a minute (`Telemetry/OutageLogging.cs`). So does a message Wolverine retries (its category is the message type,
          e.g. an alert's delivery), and while the outage lasts the framework's other warnings and errors — its consequences, such as
          `Envelope … was rescheduled to queue` after every try — come once a minute per kind, as `Database unavailable at the time: <line> (<exception type and message>; …)` without the stack trace (`OutageLoggingTests`); outside an
          outage, failures that are not the database being away pass through unchanged. Each
          request answered 503 logs one line (`Database unavailable for GET /api/…: Connection refused`). `FrozenDatabaseTests` counts
          the lines of a 10 s outage, stopped and frozen (13 and 7 in its last run, with a read every second).
        - **Writes are all-or-nothing and idempotent by eventId** (each batch is committed whole or not at all — alone, or in one transaction with other negotiations' end appends
          that wait at the same moment (group commit, docs/architecture.md), whose failure rolls all of them back and writes each
          again alone; `(negotiation_id, event_id)` primary key), so a client that
          did not get an answer (time-out, 503, crash) re-sends the same batch: it is stored once. An eventId re-sent with *different* content is
          `409 eventid_reused` (docs/api.md, "Idempotent"), not a silent duplicate. Read models (the domain-order index, the board, checkpoints due at the
          end of the record, and the party profiles through Marten's inline `PartyProfileProjection`) are written in the same transaction, and the
          fold's head is held in memory by stream version, so every answer agrees with the events as soon as the write is acknowledged. The one
          part written later: the checkpoints after a late event are closed in its transaction and their successors written just after the commit
          by Wolverine (`DeferredCheckpoints`); until then reads fold from the checkpoint before the gap, so no answer changes. (The fold is also
          registered with Marten as an async projection, `NegotiationFold`, only so that Marten's `projections rebuild` can run it; live writes
          do not wait for a daemon.) Creates of negotiations of the same party take turns on its profile (a
          transaction-scoped advisory lock per party code, `NegotiationStore.Starting.cs`), so none loses an entry and none answers 500.
          Before, they ran at REPEATABLE READ and were retried on a serialization failure up to ten times: 16 writers creating
          negotiations of one busy party back to back got 16 answers 500 in 160 (`PartyProfileTests`). No create overlaps a
          rebuild of the profiles either (`ProfileRebuildLock`): before, 2–668 creates per run of `ProfileRebuildUnderCreatesTests`
          were missing from their parties' profiles after rebuilds ran beside them.
        - **A data command that loses the database mid-run says so in one line.** `import` (and every data command) prints
          `error: the database stopped answering while \`import\` ran (…). Every write is one transaction: the one in progress was not
          stored, none is half-written … Run the same command again once the database answers …` and exits 1; before, it printed
          `error: NpgsqlException: Exception while writing to stream` (an operator trial stopped PostgreSQL with `pg_ctl stop -m immediate`
          while a 200,000-event file was being copied: after the restart no row of it was stored, and the running app node had recovered
          by itself; `ImportDatabaseLostTests` cuts the connection mid-COPY).
        - **Bad input:** duplicate property names are refused (`malformed_json`; before, the last one silently won), bodies that are not valid UTF-8
          are refused (`invalid_utf8`), and strings with unpaired surrogate escapes (`"\ud800"`) are refused (`invalid_unicode`) instead of failing later;
          the import command reports such lines as line errors (`NdjsonHistory`) instead of throwing. Covered by the fuzz corpus (kinds `duplicate-field`, `invalid-utf8`, `unpaired-surrogate`).
        - **A retraction is as strict as every other write:** unknown fields and non-string `occurredOn`/`actor`/`eventId` are refused (400); before,
          `{"reason":"…","expected_version":1}` was accepted and stored, `occurredOn: 5` silently ignored (found by the corpus; `FuzzRegressionTests`).
        - **Rate limit and CORS settings** (`Normalization:RateLimit:*`, `Normalization:Cors:Origins`) are read from the host's final configuration,
          so they can be set by any configuration source (before, only sources present when the builder was created counted).

        ## The database user in production

        The app needs no superuser, and in Production it runs no DDL: the schema is applied at deploy by `db-apply` (docs/architecture.md,
        "Production start"). Two roles, one that owns and migrates the schema and one the app and the data commands use
        (`DocumentedGrantsTests` runs this block as written, `db-apply` as the owner, then the app's writes, an import and both
        projection rebuilds as the app role):

        ```sql
        -- as a superuser, on database normalization
        create role normalization_owner login password '…';   -- runs db-apply / db-patch at deploy; owns every object it creates
        create role normalization_app login password '…';     -- the app and the data commands: no superuser, no createdb, no createrole
        grant connect on database normalization to normalization_owner, normalization_app;
        grant usage, create on schema public to normalization_owner;
        grant usage on schema public to normalization_app;
        -- the app's rights on what the owner creates, now and in every later migration (for role: the owner's objects, not yours)
        alter default privileges for role normalization_owner in schema public grant select, insert, update, delete, truncate on tables to normalization_app;
        alter default privileges for role normalization_owner in schema public grant usage, select, update on sequences to normalization_app;
        alter default privileges for role normalization_owner in schema public grant execute on functions to normalization_app;
        -- objects that existed before the default privileges (a database migrated earlier): the same rights once
        grant select, insert, update, delete, truncate on all tables in schema public to normalization_app;
        grant usage, select, update on all sequences in schema public to normalization_app;
        grant execute on all functions in schema public to normalization_app;  -- Marten's mt_* functions (e.g. event append)
        ```

        The app role needs no ownership for statistics either: after a large import the app refreshes them through
        `nz_analyze`, a `SECURITY DEFINER` function `db-apply` creates as the owner (PostgreSQL 15 lets only a table's owner
        `ANALYZE` it; before, the app's own `ANALYZE` was skipped with a warning, `DocumentedGrantsTests`).

        `truncate`: Marten's projection rebuild empties the projection's table first (`projections rebuild -p PartyProfile`, and the
        `rebuild` command's party profiles); without it they fail with `42501: permission denied for table mt_doc_partyprofile` (an
        operator trial, with the grants this section listed before). `alter default privileges` without `for role` applies only to
        objects created by the role that runs it, so run by a superuser it gave the app no rights on the tables a later `db-apply`
        creates. `db-patch -d marten://store/ FILE` and `db-patch -d wolverine://messages/main FILE` write the same schema as two scripts
        to review and apply with `psql` as the owner. A DBA who applies them as a superuser makes the superuser their owner, and the
        default privileges above (`for role normalization_owner`) then give the app nothing; so let the superuser act as the owner
        (checked in an operator trial: 26 tables owned by the owner role, all granted to the app):

        ```bash
        psql -d normalization -v ON_ERROR_STOP=1 -c 'set role normalization_owner' -f marten.sql -f wolverine.sql
        ```

        or run the block's last three `grant … on all … in schema public` lines again after the scripts. A role without these rights
        is named at start, with the tables it may not use, by the app and by every data command (exit 3, one line; before, the start
        said the schema was missing and sent the operator to `db-apply`: `ProductionStartTests`). `docker compose up` makes these
        two roles when the `postgres` service initialises its volume (`src/Normalization.Api/Deploy/postgres-init/10-roles.sh`, this
        block with the passwords from the environment; `DockerRolesScriptTests` keeps the two the same and runs the script as the image
        does) and runs `migrate` as the owner, the `api` as the app role. The private cluster used for development and the tests
        connects as `postgres`; production should not.

        ## Results of the last long run

        {{(failures.Count == 0 ? "All long-run parts passed." : "Failed: " + string.Join(", ", failures) + ".")}}

        {{run}}
        """;
}

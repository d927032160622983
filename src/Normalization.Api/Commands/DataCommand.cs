using System.Text.Json;
using JasperFx.CommandLine;
using Microsoft.Extensions.Primitives;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Importing;
using Normalization.Api.Storage;
using Normalization.Domain.Validation;
using Spectre.Console;

namespace Normalization.Api.Commands;

/// <summary>Flags every data command has.</summary>
public class DataInput : NetCoreInput
{
    [Description("Write JSON instead of a table")]
    public bool JsonFlag { get; set; }
}

public static class DataCommands
{
    /// <summary>The names of the data commands, so Program can keep their stdout clean (logs go to stderr).</summary>
    public static readonly string[] Names = ["import", "export", "state", "stages", "timeline", "what-if", "rebuild", "library"];

    /// <summary>Where the commands write plain results (JSON, one-line summaries): the process's real stdout.</summary>
    public static TextWriter Results { get; private set; } = Console.Out;

    /// <summary>Where the commands write their tables: stdout.</summary>
    public static IAnsiConsole Stdout { get; private set; } = AnsiConsole.Console;

    /// <summary>
    /// Sends what the framework writes through AnsiConsole (its "Searching … for commands" banner, progress bars) to
    /// stderr, so that a data command's stdout holds only its result (a table, JSON, an export).
    /// </summary>
    public static void KeepStdoutForResults()
    {
        // Anything the libraries print with Console.WriteLine (Marten's note that the async daemon is off, say) goes to
        // stderr too; the commands write their results through Results / Stdout, which keep the real stdout.
        Results = Console.Out;
        Console.SetOut(Console.Error);
        // Colours and styles only to a terminal, and not with NO_COLOR (CommandOutput): a pipe or a file gets plain text.
        Stdout = CommandOutput.Create(Results, CommandOutput.PlainStdout);
        // Piped into a file or another program: no terminal width to fit, so do not wrap tables at 80 columns.
        if (Console.IsOutputRedirected) Stdout.Profile.Width = 240;
        // JasperFx ends its command discovery with an AnsiConsole.WriteLine() (CommandFactory.RegisterCommandsFromExtensionAssemblies,
        // even with its banner off), before any command runs: stderr started with an empty line, and "error: …" was its second.
        AnsiConsole.Console = CommandOutput.Create(CommandOutput.WithoutLeadingBlankLines(Console.Error), CommandOutput.PlainStderr);
    }
}

/// <summary>A user error: printed as one line on stderr, exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary>
/// Base of the data commands (import, export, state, stages, timeline, what-if, rebuild): builds the app's host
/// (the database is located or started by Program exactly as for the app; the host is not started, so no
/// listener and no seed loading), runs, and turns any failure into a one-line message and a non-zero exit code.
/// </summary>
public abstract class DataCommand<T> : JasperFxAsyncCommand<T> where T : DataInput
{
    /// <summary>The answers' JSON (<see cref="Http.ApiJson.Options"/>: every property there, a null as null), indented: `state --json` is the HTTP answer.</summary>
    public static readonly JsonSerializerOptions Json = new(Http.ApiJson.Options) { WriteIndented = true };

    public override async Task<bool> Execute(T input)
    {
        IHost? host = null;
        try
        {
            host = input.BuildHost();
            // The host is built, not started: apply the schema as the app's startup does — Marten's objects and our nz_* tables,
            // which are declared among Marten's (MartenSetup, Schema). Development only: in Production db-apply did, and
            // Program checked it (SchemaAtStart).
            if (Normalization.Api.Storage.SchemaAtStart.AppliedByTheApp(host.Services.GetRequiredService<IHostEnvironment>()))
                await ApplySchemaAsync(host.Services);
            return await Run(input, host.Services, CancellationToken.None);
        }
        catch (Exception e) when (e is CliException or ImportException)
        {
            // Every message is printed through Shown, the one place that escapes what a user typed ("us-taliban\n"):
            // an error is always one line, whichever message echoed the value.
            await Console.Error.WriteLineAsync("error: " + Shown(e.Message, int.MaxValue));
            return false;
        }
        catch (Exception e) when (Http.DatabaseUnavailableHandler.IsDatabaseUnavailable(e))
        {
            // An operator trial stopped PostgreSQL mid-import and read "error: NpgsqlException: Exception while writing to stream":
            // nothing said whether part of the file was stored or what to do. Each write is one transaction, so nothing of it was.
            await Console.Error.WriteLineAsync($"error: {DatabaseLost(e)}");
            return false;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"error: {e.GetType().Name}: {Shown(e.Message.Split('\n')[0].Trim(), 300)}");
            return false;
        }
        finally
        {
            if (host is IAsyncDisposable a) await a.DisposeAsync();
            else host?.Dispose();
        }
    }

    protected abstract Task<bool> Run(T input, IServiceProvider services, CancellationToken ct);

    /// <summary>The one line for a database that went away (or never answered) while the command ran: what happened, what was kept, what to do.</summary>
    static string DatabaseLost(Exception e)
    {
        var command = DataCommands.Names.FirstOrDefault(n => Environment.GetCommandLineArgs().Skip(1).Take(1).Contains(n)) ?? "the command";
        var cause = Shown(e.GetBaseException().Message.Split('\n')[0].Trim(), 200);
        return $"the database stopped answering while `{command}` ran ({cause}). Every write is one transaction: the one in " +
               "progress was not stored, none is half-written (an import stores its file whole or not at all). Run the same command again " +
               "once the database answers: what was stored is recognised by eventId and not stored twice.";
    }

    /// <summary>
    /// Applies the schema under Marten's own advisory lock (<c>StoreOptions.ApplyChangesLockId</c>, the one the app's
    /// <c>ApplyAllDatabaseChangesOnStartup</c> and <c>db-apply</c> take: <see cref="MartenLocks"/>), so two commands — or a
    /// command and an app — starting at once on a never-used database do not both create the same objects (the second
    /// failed with "… already exists").
    /// </summary>
    static async Task ApplySchemaAsync(IServiceProvider services)
    {
        var store = services.GetRequiredService<Marten.IDocumentStore>();
        await using var held = await MartenLocks.HoldAsync(services.GetRequiredService<Npgsql.NpgsqlDataSource>(), MartenLocks.ApplyChanges(store));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    protected static IAnsiConsole Out => DataCommands.Stdout;

    protected static void WriteJson(object value) => DataCommands.Results.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>The message of a state asked <c>--known-at</c> before the negotiation was recorded: when it was first recorded, to retry from.</summary>
    protected static async Task<string> NotKnownThenAsync(NegotiationStore store, string id, DateTimeOffset? knownAt, CancellationToken ct) =>
        await store.FirstRecordedAtAsync(id, ct) is { } first
            ? NegotiationStore.NotKnownThenMessage(id, knownAt, first, "--known-at ")
            : $"No negotiation '{id}'.";

    /// <summary>
    /// The negotiation's version; a <see cref="CliException"/> for an id that is not a negotiation id (<see cref="ValidId"/>:
    /// the HTTP route's rule) or that no negotiation has.
    /// </summary>
    protected static async Task<int> RequireAsync(NegotiationStore store, string id, CancellationToken ct)
    {
        ValidId(id);
        return await store.VersionAsync(id, ct) ?? throw new CliException($"No negotiation '{id}'.");
    }

    /// <summary>
    /// An id that cannot be a negotiation's (<c>US-DPRK</c>) is said to be one, as HTTP answers 400 <c>invalid_slug</c> at
    /// <c>route.id</c> (<see cref="Http.Requests.RouteIds"/>) — not "No negotiation", which would send the user looking for it.
    /// </summary>
    protected static void ValidId(string id)
    {
        if (!NegotiationValidator.IsValidId(id))
            throw new CliException($"The negotiation id must be {Http.Requests.RouteIds.NegotiationIdRule.TrimEnd('.')}, not '{id}'.");
    }

    /// <summary>
    /// The options of a command that has an HTTP twin, read by that endpoint's own query reader (<typeparamref name="TQuery"/>'s
    /// <c>Read</c>): one rule for both. Each option is the query parameter of the same name (<c>--as-of</c> is <c>asOf</c>),
    /// so a value the HTTP query refuses, or a range running backwards, is refused here by the same code with the same
    /// message, naming the option (<see cref="OptionErrors"/>). An option left out is a parameter left out.
    /// </summary>
    public static TQuery ReadOptions<TQuery>(DateOnly today, params (string Flag, string? Value)[] options) where TQuery : class, IQueryRequest<TQuery>
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = QueryString.Create(options.Where(o => o.Value is not null).Select(o => KeyValuePair.Create(Parameter(o.Flag), o.Value)));
        var errors = new List<FieldError>();
        var problem = TQuery.Read(http.Request, today, errors, out var query);
        if (errors.Count > 0) throw OptionErrors(errors, options);
        // The readers of the commands' twins answer only with field errors; a whole-request problem has no text to show here.
        if (problem is not null) throw new CliException($"The options were refused ({(problem as IStatusCodeHttpResult)?.StatusCode}).");
        return query;
    }

    /// <summary>
    /// A date option, by the API's rule (<see cref="Query.TryDate"/>: YYYY-MM-DD, or YYYY-MM / YYYY meaning the end of that
    /// period; ASCII digits; nothing around it). Absent or empty: null. Otherwise a <see cref="CliException"/>.
    /// </summary>
    public static DateOnly? Date(string? text, string flag) => Option<DateOnly?>(text, flag, Query.TryDate);

    /// <summary>
    /// A day option, by the rule of the value it stands for — a record's coverage (<c>coveredUntil</c> of the create body, of
    /// <c>PUT …/coverage</c>, of a <c>RecordReviewed</c> and of a file's first line): <c>YYYY-MM-DD</c> only, ASCII digits. A
    /// month or a year is refused (<c>invalid_date</c>) rather than read as its last day, as everywhere else a coverage is
    /// given (the import read <c>--covered-until 2017-10</c> as 2017-10-31). Absent or empty: null.
    /// </summary>
    public static DateOnly? Day(string? text, string flag) => Option<DateOnly?>(text, flag, TryDay);

    static bool TryDay(StringValues values, string name, out DateOnly? day, List<FieldError> errors)
    {
        day = null;
        var text = values.ToString();
        if (text.Length == 0) return true;
        if (text.Length == 10 && Strict.IsAsciiDigits(text.Replace("-", "")) && DateOnly.TryParseExact(text, "yyyy-MM-dd",
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
        {
            day = d;
            return true;
        }
        // The words of the API's coveredUntil error (NegotiationValidator), and why a period is not taken.
        errors.Add(new(name, "invalid_date", $"{name} must be a date: YYYY-MM-DD, ASCII digits (a day: how far a record reaches is not a month or a year)."));
        return false;
    }

    /// <summary>An instant option by the API's rule (<see cref="Query.TryInstant"/>: ISO 8601 with Z or an offset; a date alone is 00:00 UTC).</summary>
    public static DateTimeOffset? Instant(string? text, string flag) => Option<DateTimeOffset?>(text, flag, Query.TryInstant);

    delegate bool ParameterReader<TValue>(StringValues values, string name, out TValue value, List<FieldError> errors);

    /// <summary>One option read by the query-string reader of its HTTP parameter.</summary>
    static TValue Option<TValue>(string? text, string flag, ParameterReader<TValue> read)
    {
        var errors = new List<FieldError>();
        var ok = read(text is null ? StringValues.Empty : new StringValues(text), Parameter(flag), out var value, errors);
        return ok && errors.Count == 0 ? value : throw OptionErrors(errors, [(flag, text)]);
    }

    /// <summary>
    /// Every value of a list option (<c>--party</c>, <c>--remove</c>): JasperFx keeps only the values after the last of a
    /// repeated flag, so they are read from the command line itself — those after each <paramref name="flag"/> up to the next
    /// option — and <c>--remove A --remove B</c> is <c>--remove A B</c>. <paramref name="parsed"/> (JasperFx's) when the flag is
    /// not on the process's command line.
    /// </summary>
    protected static List<string> ListOption(string flag, IEnumerable<string> parsed)
    {
        var args = Environment.GetCommandLineArgs();
        var values = new List<string>();
        for (var i = 0; i < args.Length; i++)
            if (args[i] == flag)
                for (var j = i + 1; j < args.Length && !args[j].StartsWith("--", StringComparison.Ordinal); j++) values.Add(args[j]);
        if (values.Count == 0) values.AddRange(parsed);
        return values;
    }

    /// <summary>The query parameter an option stands for: <c>as-of</c> is <c>asOf</c>, <c>from</c> is <c>from</c>.</summary>
    static string Parameter(string flag) =>
        string.Concat(flag.Split('-').Select((w, i) => i == 0 || w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>
    /// The query's field errors as one line about the options: a message that starts with the parameter's name starts with
    /// the option instead (<c>asOf must be a date…</c> is <c>--as-of must be a date…</c>), any other is prefixed with it; the
    /// value given is echoed (<see cref="Shown"/>, by <see cref="Execute"/>).
    /// </summary>
    protected static CliException OptionErrors(IEnumerable<FieldError> errors, (string Flag, string? Value)[] options) =>
        new(string.Join("; ", Http.Problems.OnePerPath(errors).Select(e =>
        {
            var option = options.FirstOrDefault(o => Parameter(o.Flag) == e.Path);
            var flag = "--" + (option.Flag ?? e.Path);
            var message = e.Message.StartsWith(e.Path + " ", StringComparison.Ordinal) ? flag + e.Message[e.Path.Length..] : $"{flag}: {e.Message}";
            // A range's message names its other bound ("from must not be after to", "projectTo must not be before asOf"):
            // that bound is an option here too.
            foreach (var (other, _) in options)
                if (other != option.Flag)
                    message = System.Text.RegularExpressions.Regex.Replace(message, $@"\b(after|before) {Parameter(other)}\b(?!\w)", "$1 --" + other);
            return option.Value is null ? message : $"{message} (given: '{Shown(option.Value)}')";
        })));

    /// <summary>
    /// A value echoed in an error on one line: control characters, line and paragraph separators and invisible format
    /// characters (U+202E would reorder the terminal line) shown as escapes, long values cut at <paramref name="max"/>.
    /// </summary>
    public static string Shown(string text, int max = 80)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var c in text.Length > max ? text[..max] + "…" : text)
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format
                    => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    protected static string Esc(string? s) => Markup.Escape(s ?? "");
}

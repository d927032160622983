using Normalization.Api.Negotiations.Coverage;
using JasperFx.CommandLine;
using Normalization.Api.Importing;
using Normalization.Api.Negotiations.GettingState;
using Normalization.Api.Storage;
using Normalization.Api.Timeline;
using Normalization.Domain.Catalog;
using Normalization.Domain.Histories;
using Normalization.Domain.Stages;
using Spectre.Console;

namespace Normalization.Api.Commands;

public class IdInput : DataInput
{
    [Description("The negotiation id")]
    public string Id { get; set; } = "";
}

public class StateInput : IdInput
{
    [Description("The date to look at, yyyy-MM-dd (default: today, or the last event's date when later)")]
    public string? AsOfFlag { get; set; }

    [Description("Use the record as it was known at this instant (e.g. 2025-04-15T00:00:00Z)")]
    public string? KnownAtFlag { get; set; }
}

[Description("The state of a negotiation on a date: stage, since when, why, momentum, ledger", Name = "state")]
public sealed class StateCommand : DataCommand<StateInput>
{
    protected override async Task<bool> Run(StateInput input, IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<NegotiationStore>();
        // GET …/state's query, read by its own reader (one rule): --as-of is asOf, --known-at knownAt.
        var options = ReadOptions<StateQuery>(store.Today, ("as-of", input.AsOfFlag), ("known-at", input.KnownAtFlag));
        var version = await RequireAsync(store, input.Id, ct);
        var knownAt = options.KnownAt;
        var asOf = options.AsOf ?? store.Today; // today, as GET …/state (docs/api.md)
        var s = await CoveredState.StateAsOfAsync(store, input.Id, asOf, knownAt, ct: ct)
            ?? throw new CliException(await NotKnownThenAsync(store, input.Id, knownAt, ct));
        if (input.JsonFlag) { WriteJson(Normalization.Api.Negotiations.GettingState.NegotiationStateResponse.Of(s, version, knownAt)); return true; }

        var grid = new Grid().AddColumn().AddColumn();
        void Row(string k, string v) => grid.AddRow($"[bold]{k}[/]", v);
        Row("Negotiation", $"{Esc(s.NegotiationId)} — {Esc(s.Title)}");
        Row("Parties", Esc(string.Join(", ", s.Parties.Select(p => $"{p.Code} ({p.Name})"))));
        Row("As of", $"{s.AsOf:yyyy-MM-dd}{(knownAt is null ? "" : $" (as known at {knownAt:O})")}");
        Row("Stage", $"[bold]{s.Stage}[/]{(s.StageSince is { } since ? $" since {since:yyyy-MM-dd}" : " (from the baseline)")}"
            + (s.Extrapolated ? $" [yellow](extrapolated: the record ends {s.CoveredUntil:yyyy-MM-dd})[/]" : ""));
        Row("Record", s.CoveredUntil is { } covered ? $"covered until {covered:yyyy-MM-dd}" : "coverage not declared");
        Row("Representation", Esc(string.Join("; ", s.Representation.Select(r => $"{r.Sender} in {r.Host}: {r.Level?.ToString() ?? "not recorded"}"))));
        Row("Why", $"{Esc(s.Why.Rule)}: {Esc(s.Why.Description)}");
        Row("Momentum", $"{s.Momentum.Score:0.0} (previous {s.Momentum.PreviousScore:0.0}, {s.Momentum.Trend})");
        Row("Events", $"{s.EventCount} folded, last on {Esc(s.LastEventOn ?? "—")}");
        Row("Version", version.ToString());
        // Sized to its rows, not expanded: into a pipe the console is 240 columns wide (DataCommand), for tables that must not wrap.
        Out.Write(new Panel(grid).Header("State"));
        return true;
    }
}

public class StagesInput : IdInput
{
    [Description("Use the record as it was known at this instant")]
    public string? KnownAtFlag { get; set; }
}

[Description("The stage history of a negotiation: every transition with its rule and events", Name = "stages")]
public sealed class StagesCommand : DataCommand<StagesInput>
{
    protected override async Task<bool> Run(StagesInput input, IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<NegotiationStore>();
        var knownAt = ReadOptions<Normalization.Api.Negotiations.GettingState.StagesQuery>(store.Today, ("known-at", input.KnownAtFlag)).KnownAt;
        await RequireAsync(store, input.Id, ct);
        var until = store.Today; // today, as GET …/stages without `to`
        var s = await CoveredState.StateAsOfAsync(store, input.Id, until, knownAt, ct: ct)
            ?? throw new CliException(await NotKnownThenAsync(store, input.Id, knownAt, ct));
        // The HTTP answer's type (GET …/stages without from): the same properties, a null one as null.
        if (input.JsonFlag) { WriteJson(new Normalization.Api.Negotiations.GettingState.StageHistoryResponse(input.Id, null, until, knownAt, s.Stage, s.StageSince, s.CoveredUntil, s.Extrapolated, s.StageHistory)); return true; }
        Out.Write(StageTable(s.StageHistory, $"Stages of {input.Id}"));
        return true;
    }

    public static Table StageTable(IEnumerable<StageTransition> transitions, string title)
    {
        var table = new Table().Title(Esc(title)).AddColumns("On", "From", "To", "Rule", "Why");
        foreach (var t in transitions)
            table.AddRow((t.On?.ToString("yyyy-MM-dd") ?? "(baseline)") + (t.Projected == true ? " (projected)" : ""), t.From?.ToString() ?? "", $"[bold]{t.To}[/]", Esc(t.Rule), Esc(t.Description));
        return table;
    }
}

public class TimelineInput : IdInput
{
    [Description("Only events on or after this date (a correction counts at the date of the event as corrected)")]
    public string? FromFlag { get; set; }

    [Description("Only events on or before this date (a correction counts at the date of the event as corrected)")]
    public string? ToFlag { get; set; }

    [Description("Only events of this type")]
    [FlagAlias("type", true)] // -t is --to's: a short flag names one option (CliFlagAliasTests)
    public string? TypeFlag { get; set; }
}

[Description("The events of a negotiation in domain order, with status, sources and confidence", Name = "timeline")]
public sealed class TimelineCommand : DataCommand<TimelineInput>
{
    protected override async Task<bool> Run(TimelineInput input, IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<NegotiationStore>();
        // GET …/timeline's query, read by its own reader (one rule): a from after to, a month or a year as a bound, an
        // unknown --type (case-insensitive, the catalog's spelling) are what HTTP says they are.
        var query = ReadOptions<TimelineQuery>(store.Today, ("from", input.FromFlag), ("to", input.ToFlag), ("type", input.TypeFlag));
        await RequireAsync(store, input.Id, ct);
        var (items, total) = await store.TimelineAsync(input.Id, query.From, query.To, query.Type, null, 0, int.MaxValue, ct);
        if (input.JsonFlag) { WriteJson(new { id = input.Id, total, items = items.Select(TimelineItem.Of) }); return true; }
        var table = new Table().Title(Esc($"Timeline of {input.Id} ({total} events)")).AddColumns("On", "Type", "Actor", "Target", "Confidence", "Status", "Note");
        foreach (var i in items)
        {
            var e = i.Event;
            var note = e.Note is { Length: > 80 } n ? n[..77] + "..." : e.Note;
            table.AddRow(Esc(e.OccurredOn.ToString()), Esc(e.Type), Esc(e.Actor), Esc(e.Target), e.Confidence.ToString(),
                i.Status == DomainIndex.IndexStatus.Active ? "active" : $"[grey]{Esc(i.Status.Db())}[/]", Esc(note));
        }
        Out.Write(table);
        return true;
    }
}

public class RebuildInput : DataInput
{
    [Description("One negotiation to rebuild (default: all)")]
    public string? Id { get; set; }
}

[Description("Rebuild the read models (index, checkpoints, head, board; and, without an id, the party profiles by Marten's projection rebuild) from the raw events", Name = "rebuild")]
public sealed class RebuildCommand : DataCommand<RebuildInput>
{
    public RebuildCommand()
    {
        Usage("Rebuild every negotiation").Arguments();
        Usage("Rebuild one negotiation").Arguments(x => x.Id!);
    }

    protected override async Task<bool> Run(RebuildInput input, IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<NegotiationStore>();
        IReadOnlyList<string> ids;
        if (string.IsNullOrWhiteSpace(input.Id)) ids = await store.NegotiationIdsAsync(ct);
        else { await RequireAsync(store, input.Id, ct); ids = [input.Id]; }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (!input.JsonFlag && AnsiConsole.Profile.Capabilities.Interactive && ids.Count > 0)
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("Rebuilding", maxValue: ids.Count);
                    var gate = new object();
                    await store.RebuildAllAsync(ids, new SyncProgress<string>(id =>
                    {
                        lock (gate) { task.Description = $"Rebuilt {Esc(id)}"; task.Increment(1); }
                    }), ct: ct);
                    task.Description = "Rebuilt";
                });
        else
            await store.RebuildAllAsync(ids, ct: ct);
        // The party profiles span negotiations: Marten's projection rebuild redoes them all (only for a rebuild of everything).
        if (string.IsNullOrWhiteSpace(input.Id)) await store.RebuildPartyProfilesAsync(ct);

        if (input.JsonFlag) WriteJson(new { rebuilt = ids, seconds = clock.Elapsed.TotalSeconds });
        else DataCommands.Results.WriteLine($"Rebuilt {ids.Count} negotiation(s) in {clock.Elapsed.TotalSeconds:0.0} s{(ids.Count is > 0 and <= 10 ? ": " + string.Join(", ", ids) : "")}.");
        return true;
    }
}
